package io.roost.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * One decoded command as argument slices; reused, owned by the connection's event-loop thread,
 * valid until the next {@link RespDecoder#decode} call.
 *
 * <p>Implementation notes: for a multibulk command, {@link #buffer()} is the connection's input
 * buffer and every slice points into it (zero copies). For an inline command, the arguments are
 * unescaped into the decoder's scratch buffer and {@link #buffer()} is that scratch buffer, so all
 * arguments of one frame always live in one buffer and {@link #argOffset(int)} is an absolute index
 * into {@link #buffer()}. The offset and length arrays belong to the decoder and are shared with
 * the frame, not copied. Nothing here retains or releases buffers.
 */
public final class CommandFrame {
  private ByteBuf buffer;
  private int base;
  private int[] offsets;
  private int[] lengths;
  private int argc;
  private boolean inline;

  /** Creates an empty frame. */
  public CommandFrame() {}

  void set(ByteBuf buffer, int base, int[] offsets, int[] lengths, int argc, boolean inline) {
    this.buffer = buffer;
    this.base = base;
    this.offsets = offsets;
    this.lengths = lengths;
    this.argc = argc;
    this.inline = inline;
  }

  /** Number of arguments, the command name included. */
  public int argc() {
    return argc;
  }

  /** The buffer every argument slice points into. */
  public ByteBuf buffer() {
    return buffer;
  }

  /** Absolute index of argument {@code i} in {@link #buffer()}. */
  public int argOffset(int i) {
    checkIndex(i);
    return base + offsets[i];
  }

  /** Length of argument {@code i} in bytes. */
  public int argLength(int i) {
    checkIndex(i);
    return lengths[i];
  }

  /** Whether the command came as an inline command. */
  public boolean inline() {
    return inline;
  }

  /**
   * Whether argument {@code i} equals {@code upperAscii} ignoring ASCII case; {@code upperAscii}
   * must hold no lower-case letters. Allocates nothing.
   */
  public boolean argEqualsIgnoreCase(int i, byte[] upperAscii) {
    checkIndex(i);
    int len = lengths[i];
    if (len != upperAscii.length) {
      return false;
    }
    int off = base + offsets[i];
    for (int k = 0; k < len; k++) {
      int b = buffer.getByte(off + k);
      if (b >= 'a' && b <= 'z') {
        b -= 'a' - 'A';
      }
      if (b != upperAscii[k]) {
        return false;
      }
    }
    return true;
  }

  /** A copy of argument {@code i} (cold paths only). */
  public byte[] argBytes(int i) {
    checkIndex(i);
    byte[] bytes = new byte[lengths[i]];
    buffer.getBytes(base + offsets[i], bytes);
    return bytes;
  }

  /**
   * Argument {@code i} as a Latin-1 string, one char per byte, so that writing it back as Latin-1
   * reproduces the bytes (cold paths and error texts only).
   */
  public String argString(int i) {
    checkIndex(i);
    return buffer.toString(base + offsets[i], lengths[i], StandardCharsets.ISO_8859_1);
  }

  /** Argument {@code i} parsed with Redis's {@code string2ll} rules (see {@link RespNumbers}). */
  public long argLong(int i) throws RespNumberException {
    checkIndex(i);
    return RespNumbers.parseLong(buffer, base + offsets[i], lengths[i]);
  }

  /** Argument {@code i} parsed with Redis's {@code string2d} rules (see {@link RespNumbers}). */
  public double argDouble(int i) throws RespNumberException {
    checkIndex(i);
    return RespNumbers.parseDouble(buffer, base + offsets[i], lengths[i]);
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= argc) {
      throw new IndexOutOfBoundsException("i=" + i + ", argc=" + argc);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CommandFrame{inline=").append(inline).append(", args=[");
    for (int i = 0; i < argc; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append('"');
      int off = base + offsets[i];
      for (int k = 0; k < lengths[i]; k++) {
        int b = buffer.getByte(off + k) & 0xFF;
        if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
          sb.append((char) b);
        } else {
          sb.append(String.format("\\x%02x", b));
        }
      }
      sb.append('"');
    }
    return sb.append("]}").toString();
  }
}
