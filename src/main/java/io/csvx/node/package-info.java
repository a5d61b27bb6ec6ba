/// One running node: [io.csvx.node.App] is the one composition root, which builds every service
/// by hand, starts and stops them in order, and runs the housekeeping (retention, purges).
/// May use every package but `cli` and `bench`.
package io.csvx.node;
