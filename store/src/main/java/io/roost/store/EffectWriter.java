package io.roost.store;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Encodes one effect ({@link EffectDescriptor}) into a reused buffer. Owned by the thread holding
 * the lock of the shard that owns it.
 */
final class EffectWriter {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
  private int position;
  private int argCount;

  EffectWriter begin(final int op, final int db) {
    buffer.putByte(EffectDescriptor.OP_OFFSET, (byte) op);
    buffer.putByte(EffectDescriptor.DB_OFFSET, (byte) db);
    position = EffectDescriptor.HEADER_LENGTH;
    argCount = 0;
    return this;
  }

  EffectWriter arg(final DirectBuffer b, final int off, final int len) {
    buffer.putInt(position, len, LE);
    buffer.putBytes(position + 4, b, off, len);
    position += 4 + len;
    argCount++;
    return this;
  }

  EffectWriter argLong(final long value) {
    buffer.putInt(position, 8, LE);
    buffer.putLong(position + 4, value, LE);
    position += 12;
    argCount++;
    return this;
  }

  void emit(final EffectSink sink) {
    buffer.putShort(EffectDescriptor.ARG_COUNT_OFFSET, (short) argCount, LE);
    sink.onEffect(buffer, 0, position);
  }
}
