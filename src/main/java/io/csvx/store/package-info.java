/// The store's floor, which every feature stands on: [io.csvx.store.Db] (transactions, and the
/// work signal that wakes other nodes), [io.csvx.store.Ids], pages, [io.csvx.store.StoreException]
/// and [io.csvx.store.ReadCache] (the caches features keep of hot reads). Each feature declares
/// its own records and store interfaces; `store.jdbc` implements them all in portable SQL over
/// `store.sqlite` or `store.postgres`. Only `store.*` speaks SQL; this package and the backends
/// know no feature.
package io.csvx.store;
