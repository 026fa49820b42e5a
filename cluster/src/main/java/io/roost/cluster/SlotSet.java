package io.roost.cluster;

import org.agrona.DirectBuffer;

/**
 * A set of hash slots: bit {@code s & 63} of word {@code s >>> 6} (the layout the store's {@code
 * Database.countInSlots} takes), and its wire form, 2048 bytes little-endian (the server's internal
 * commands; SLOTS_RESET/SLOTS_COMPLETE entries of a replication link). Stateless.
 */
public final class SlotSet {
  /** Words of a set. */
  public static final int WORDS = SlotHash.SLOT_COUNT / 64;

  /** Bytes of the wire form. */
  public static final int BYTES = SlotHash.SLOT_COUNT / 8;

  private SlotSet() {}

  public static long[] empty() {
    return new long[WORDS];
  }

  public static void add(long[] set, int slot) {
    set[slot >>> 6] |= 1L << slot;
  }

  public static boolean contains(long[] set, int slot) {
    return (set[slot >>> 6] & (1L << slot)) != 0;
  }

  /** Whether the slot of {@code key[offset, offset + length)} is in the set. */
  public static boolean containsKey(long[] set, DirectBuffer key, int offset, int length) {
    return contains(set, SlotHash.slot(key, offset, length));
  }

  /** The lowest slot in the set, or -1 when empty. */
  public static int first(long[] set) {
    for (int w = 0; w < set.length; w++) {
      if (set[w] != 0) {
        return (w << 6) + Long.numberOfTrailingZeros(set[w]);
      }
    }
    return -1;
  }

  public static int cardinality(long[] set) {
    int n = 0;
    for (long w : set) {
      n += Long.bitCount(w);
    }
    return n;
  }

  public static byte[] encode(long[] set) {
    byte[] out = new byte[BYTES];
    for (int w = 0; w < WORDS; w++) {
      long v = set[w];
      for (int b = 0; b < 8; b++) {
        out[w * 8 + b] = (byte) (v >>> (8 * b));
      }
    }
    return out;
  }

  /** The set encoded in {@code wire}, or null when it is not {@link #BYTES} long. */
  public static long[] decode(byte[] wire) {
    if (wire.length != BYTES) {
      return null;
    }
    long[] set = new long[WORDS];
    for (int w = 0; w < WORDS; w++) {
      long v = 0;
      for (int b = 7; b >= 0; b--) {
        v = (v << 8) | (wire[w * 8 + b] & 0xFF);
      }
      set[w] = v;
    }
    return set;
  }
}
