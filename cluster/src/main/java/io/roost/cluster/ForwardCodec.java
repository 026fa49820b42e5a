package io.roost.cluster;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Payload of a FORWARD_REQUEST: the command and the client's state. Little-endian; frozen by {@code
 * ReplicationMessagesGoldenTest}.
 *
 * <pre>
 *  0 db i32 | 4 protocol i32 | 8 argc i32 | 12 [length i32 | bytes]*
 * </pre>
 *
 * <p>Stateless. Decoding allocates only in proportion to bytes received.
 */
public final class ForwardCodec {
  /** Length of the fixed part. */
  public static final int HEADER_LENGTH = 12;

  private ForwardCodec() {}

  /** A decoded request. */
  public record Request(int db, int protocol, byte[][] argv) {}

  /** Encoded length of {@code argv}'s payload. */
  public static int length(byte[][] argv) {
    int length = HEADER_LENGTH;
    for (byte[] arg : argv) {
      length += 4 + arg.length;
    }
    return length;
  }

  /** Encodes at {@code buffer[offset]}; returns the length. */
  public static int encode(
      MutableDirectBuffer buffer, int offset, int db, int protocol, byte[][] argv) {
    buffer.putInt(offset, db);
    buffer.putInt(offset + 4, protocol);
    buffer.putInt(offset + 8, argv.length);
    int at = offset + HEADER_LENGTH;
    for (byte[] arg : argv) {
      buffer.putInt(at, arg.length);
      buffer.putBytes(at + 4, arg);
      at += 4 + arg.length;
    }
    return at - offset;
  }

  /**
   * Decodes {@code buffer[offset, offset + length)}.
   *
   * @throws MalformedMessageException when the bytes are not exactly one request
   */
  public static Request decode(DirectBuffer buffer, int offset, int length) {
    if (length < HEADER_LENGTH) {
      throw new MalformedMessageException("length=" + length + " shorter than a forward header");
    }
    final int argc = buffer.getInt(offset + 8);
    if (argc < 1 || argc > (length - HEADER_LENGTH) / 4) {
      throw new MalformedMessageException("argc=" + argc + " length=" + length);
    }
    final byte[][] argv = new byte[argc][];
    int at = HEADER_LENGTH;
    for (int i = 0; i < argc; i++) {
      if (length - at < 4) {
        throw new MalformedMessageException("arg=" + i + " truncated");
      }
      final int argLength = buffer.getInt(offset + at);
      if (argLength < 0 || argLength > length - at - 4) {
        throw new MalformedMessageException("arg=" + i + " length=" + argLength + " overruns");
      }
      argv[i] = new byte[argLength];
      buffer.getBytes(offset + at + 4, argv[i]);
      at += 4 + argLength;
    }
    if (at != length) {
      throw new MalformedMessageException("length=" + length + " expected=" + at);
    }
    return new Request(buffer.getInt(offset), buffer.getInt(offset + 4), argv);
  }
}
