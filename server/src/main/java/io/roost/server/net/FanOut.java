package io.roost.server.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins the replies of a multi-key command split into one command per key (see {@link
 * ClusterRouter}) into the reply the whole command would have had: MGET's array (an error becomes a
 * null, as MGET answers for a key of another type), the sum of DEL/UNLINK/EXISTS/TOUCH, MSET's OK.
 * Parts arrive on any thread; the last one completes the reply.
 */
final class FanOut {
  private final String command;
  private final byte[][] parts;
  private final AtomicInteger missing;
  private final int protocol;
  private final PendingReply reply;

  FanOut(String command, int count, int protocol, PendingReply reply) {
    this.command = command;
    this.parts = new byte[count][];
    this.missing = new AtomicInteger(count);
    this.protocol = protocol;
    this.reply = reply;
  }

  void part(int index, byte[] bytes) {
    parts[index] = bytes;
    if (missing.decrementAndGet() == 0) {
      reply.complete(join());
    }
  }

  private byte[] join() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (command) {
      case "mget" -> {
        out.writeBytes(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
          out.writeBytes(isError(p) ? (protocol == 3 ? NULL3 : NULL2) : p);
        }
      }
      case "mset" -> {
        for (byte[] p : parts) {
          if (isError(p)) {
            return p;
          }
        }
        out.writeBytes("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      default -> {
        long sum = 0;
        for (byte[] p : parts) {
          if (isError(p) || p.length < 3 || p[0] != ':') {
            return p;
          }
          sum += Long.parseLong(new String(p, 1, p.length - 3, StandardCharsets.US_ASCII));
        }
        out.writeBytes((":" + sum + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toByteArray();
  }

  private static boolean isError(byte[] p) {
    return p.length > 0 && (p[0] == '-' || p[0] == '!');
  }

  private static final byte[] NULL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
}
