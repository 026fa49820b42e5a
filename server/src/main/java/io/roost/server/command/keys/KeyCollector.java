package io.roost.server.command.keys;

import io.netty.buffer.ByteBuf;
import io.roost.protocol.RespWriter;
import io.roost.server.command.ReplySink;
import io.roost.store.ValueSink;
import org.agrona.DirectBuffer;

/**
 * Collects keys the store delivers without a count in advance (KEYS, SCAN) as RESP bulk strings in
 * a scratch buffer, so the reply can start with the array length. Created per call on the
 * connection's event loop (these commands are O(N) anyway); {@link #writeTo} releases the buffer.
 */
final class KeyCollector implements ValueSink {
  private final ByteBuf scratch;
  private final RespWriter writer = new RespWriter();
  private long count;

  KeyCollector(RespWriter reply) {
    this.scratch = reply.target().alloc().buffer(256);
    writer.target(scratch);
  }

  @Override
  public void value(DirectBuffer buffer, int offset, int length) {
    ReplySink.bulk(writer, buffer, offset, length);
    count++;
  }

  long count() {
    return count;
  }

  /** Writes the array header and the collected keys into {@code reply}, then frees the scratch. */
  void writeTo(RespWriter reply) {
    try {
      reply.arrayHeader(count);
      reply.target().writeBytes(scratch);
    } finally {
      scratch.release();
    }
  }

  /** Frees the scratch without writing (error paths). */
  void discard() {
    scratch.release();
  }
}
