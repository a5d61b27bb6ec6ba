/// Messages and event types as the API sees them: publishing into an application (or one
/// created on the way), reading messages and where they went, and the catalogue of event types.
/// The fan-out and the delivery itself are `delivery`'s. Uses `store`, `tenant` and `delivery`.
package io.csvx.message;
