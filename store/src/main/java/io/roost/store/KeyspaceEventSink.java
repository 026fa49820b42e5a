package io.roost.store;

import org.agrona.DirectBuffer;

/**
 * Receives every keyspace event the store raises (pub/sub seam). Called on the thread running the
 * operation, while it holds the key's shard lock: copy what you need, never call back into the
 * store.
 */
@FunctionalInterface
public interface KeyspaceEventSink {
  /** Ignores events. */
  KeyspaceEventSink NONE = (db, event, key, offset, length) -> {};

  /**
   * One event.
   *
   * @param db database index.
   * @param event what happened.
   * @param key buffer holding the key (valid only during the call).
   * @param offset key offset.
   * @param length key length.
   */
  void onEvent(int db, KeyspaceEvent event, DirectBuffer key, int offset, int length);
}
