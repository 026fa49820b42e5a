package io.roost.server.config;

import java.util.Locale;

/**
 * {@code client-output-buffer-limit}: per client class a hard limit, a soft limit and how long a
 * client may stay over the soft limit. Immutable; {@link #parse} returns a new value.
 *
 * <p>Syntax, classes, merging and error texts are Redis's (config.c): groups of four words {@code
 * <class> <hard> <soft> <soft-seconds>}, classes {@code normal}, {@code replica} (or {@code slave})
 * and {@code pubsub}; classes a value does not name keep their limits; a zero limit is no limit.
 */
public final class OutputBufferLimits {
  /** Client classes, in the order Redis prints them. */
  public static final int NORMAL = 0;

  public static final int REPLICA = 1;
  public static final int PUBSUB = 2;

  /** Redis's defaults. */
  public static final String DEFAULT =
      "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

  private static final String[] NAMES = {"normal", "slave", "pubsub"};

  private final long[] hardBytes;
  private final long[] softBytes;
  private final long[] softSeconds;

  private OutputBufferLimits(long[] hard, long[] soft, long[] seconds) {
    this.hardBytes = hard;
    this.softBytes = soft;
    this.softSeconds = seconds;
  }

  /** No limits at all: the base a value is merged onto at start-up. */
  public static final OutputBufferLimits NONE =
      new OutputBufferLimits(new long[3], new long[3], new long[3]);

  public long hardBytes(int clientClass) {
    return hardBytes[clientClass];
  }

  public long softBytes(int clientClass) {
    return softBytes[clientClass];
  }

  public long softSeconds(int clientClass) {
    return softSeconds[clientClass];
  }

  /**
   * {@code base} with the classes {@code text} names set; IllegalArgumentException carries Redis's
   * text.
   */
  public static OutputBufferLimits parse(OutputBufferLimits base, String text) {
    String trimmed = text.trim();
    String[] w = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    if (w.length % 4 != 0) {
      throw new IllegalArgumentException(
          "Wrong number of arguments in buffer limit configuration.");
    }
    OutputBufferLimits b = base == null ? NONE : base;
    long[] hard = b.hardBytes.clone();
    long[] soft = b.softBytes.clone();
    long[] seconds = b.softSeconds.clone();
    for (int i = 0; i < w.length; i += 4) {
      int c =
          switch (w[i].toLowerCase(Locale.ROOT)) {
            case "normal" -> NORMAL;
            case "slave", "replica" -> REPLICA;
            case "pubsub" -> PUBSUB;
            default -> -1;
          };
      if (c < 0) {
        throw new IllegalArgumentException(
            "Invalid client class specified in buffer limit configuration.");
      }
      long h = Directive.parseMemory(w[i + 1]);
      long s = Directive.parseMemory(w[i + 2]);
      long secs;
      try {
        secs = Long.parseLong(w[i + 3]);
      } catch (NumberFormatException e) {
        secs = -1;
      }
      if (h < 0 || s < 0 || secs < 0 || secs > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
      }
      hard[c] = h;
      soft[c] = s;
      seconds[c] = secs;
    }
    return new OutputBufferLimits(hard, soft, seconds);
  }

  /** As {@code CONFIG GET} prints it. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < NAMES.length; c++) {
      if (c > 0) {
        sb.append(' ');
      }
      sb.append(NAMES[c])
          .append(' ')
          .append(hardBytes[c])
          .append(' ')
          .append(softBytes[c])
          .append(' ')
          .append(softSeconds[c]);
    }
    return sb.toString();
  }
}
