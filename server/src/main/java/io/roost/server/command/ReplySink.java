package io.roost.server.command;

import io.netty.buffer.ByteBuf;
import io.roost.protocol.RespWriter;
import io.roost.store.ValueSink;
import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;

/**
 * Writes store results straight into the connection's reply buffer: values as bulk strings, missing
 * values as nulls, counts as array headers. Owned by the connection's event loop; called by the
 * store while it holds shard locks, so it only copies bytes.
 */
public final class ReplySink implements ValueSink {
  private final RespWriter reply;
  private boolean mapPairs;

  ReplySink(RespWriter reply) {
    this.reply = reply;
  }

  /** Array counts that follow are field/value pairs: written as RESP3 maps. */
  ReplySink pairs(boolean pairs) {
    mapPairs = pairs;
    return this;
  }

  @Override
  public void arrayStart(int count) {
    if (mapPairs) {
      reply.mapHeader(count / 2);
    } else {
      reply.arrayHeader(count);
    }
  }

  @Override
  public void value(DirectBuffer buffer, int offset, int length) {
    bulk(reply, buffer, offset, length);
  }

  /** Writes {@code length} bytes of {@code buffer} as one bulk string into {@code w}'s target. */
  public static void bulk(RespWriter w, DirectBuffer buffer, int offset, int length) {
    w.bulkHeader(length);
    ByteBuf out = w.target();
    out.ensureWritable(length + 2);
    int at = out.writerIndex();
    ByteBuffer dst = out.internalNioBuffer(at, length);
    buffer.getBytes(offset, dst, dst.position(), length);
    out.writerIndex(at + length);
    w.crlf();
  }

  @Override
  public void nil() {
    reply.nullBulk();
  }

  @Override
  public void integer(long value) {
    reply.integer(value);
  }
}
