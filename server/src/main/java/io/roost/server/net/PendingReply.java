package io.roost.server.net;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * The place of one reply that arrives after its command returned: a command forwarded to another
 * node, or a write waiting for its backups. Created and drained by the connection's event loop;
 * {@link #complete} may be called once from any thread.
 *
 * <p>Replies of commands that follow a pending one are kept in their own entries behind it, so
 * every reply still leaves in request order.
 */
public final class PendingReply {
  private final Consumer<PendingReply> onComplete;

  /** Reply bytes of a command that completed at once but queued behind a pending one. */
  ByteBuf buffer;

  /** Bytes given by {@link #complete}; null until then. Read by the owning event loop. */
  volatile byte[] late;

  /** True once the reply is known (owning event loop only). */
  boolean done;

  /** True when CLIENT REPLY OFF/SKIP dropped this command's reply. */
  boolean suppressed;

  PendingReply(Consumer<PendingReply> onComplete) {
    this.onComplete = onComplete;
  }

  /** Delivers the complete RESP reply bytes; may be called from any thread, once. */
  public void complete(byte[] reply) {
    late = reply;
    onComplete.accept(this);
  }
}
