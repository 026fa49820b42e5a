/** Off-heap sharded keyspace: records, encodings, expiry and memory accounting. */
package io.roost.store;
