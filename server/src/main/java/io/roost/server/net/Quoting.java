package io.roost.server.net;

/** Redis's {@code sdscatrepr}: a quoted, escaped rendering of bytes for MONITOR and logs. */
public final class Quoting {
  private Quoting() {}

  public static void repr(byte[] b, StringBuilder out) {
    out.append('"');
    for (byte x : b) {
      int c = x & 0xff;
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 7 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            out.append((char) c);
          } else {
            out.append("\\x")
                .append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 15, 16));
          }
        }
      }
    }
    out.append('"');
  }
}
