package io.roost.server.pubsub;

/**
 * Where a node ships what is published on it to the other nodes of its cluster (the cluster seam of
 * {@link PubSubHub}). Called once per message, after local delivery, on the publishing thread —
 * which may be an event loop or a thread holding a store shard lock (keyspace notifications) — so
 * an implementation only hands the bytes on and never blocks. The byte arrays are never modified
 * after the call and may be kept.
 */
public interface PubSubFanOut {
  /** Ships nothing: a standalone node. */
  PubSubFanOut NONE =
      new PubSubFanOut() {
        @Override
        public void publish(byte[] channel, byte[] message) {}

        @Override
        public void publishShard(byte[] shardChannel, byte[] message) {}
      };

  /** A PUBLISH or a keyspace notification, delivered here already. */
  void publish(byte[] channel, byte[] message);

  /** An SPUBLISH, delivered here already. */
  void publishShard(byte[] shardChannel, byte[] message);
}
