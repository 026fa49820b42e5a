package io.roost.cluster;

import org.agrona.DirectBuffer;

/**
 * Redis Cluster key → hash slot: CRC16 (XMODEM: poly 0x1021, init 0, no reflection, no final xor)
 * of the key, or of its hash tag, masked to 14 bits.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>Hash tag rules are exactly Redis's {@code keyHashSlot}: find the first {@code '{'}; find
 *       the first {@code '}'} after it; if both exist and the bytes between them are non-empty, only
 *       those bytes are hashed, otherwise the whole key is. So {@code "foo{}{bar}"} hashes the whole
 *       key, {@code "foo{{bar}}zap"} hashes {@code "{bar"}, {@code "foo{bar}{zap}"} hashes {@code
 *       "bar"}.
 *   <li>Table driven, one lookup per byte; stateless and allocation free, so any thread may call it.
 * </ul>
 */
public final class SlotHash {
  /** Number of hash slots, as Redis Cluster. */
  public static final int SLOT_COUNT = 16384;

  /** Mask applied to the CRC to obtain a slot. */
  public static final int SLOT_MASK = SLOT_COUNT - 1;

  private static final int POLYNOMIAL = 0x1021;
  private static final char[] TABLE = table();

  private SlotHash() {}

  /** Slot of {@code key[offset, offset + length)}. */
  public static int slot(byte[] key, int offset, int length) {
    final int end = offset + length;
    int open = offset;
    while (open < end && key[open] != '{') {
      open++;
    }
    if (open < end) {
      int close = open + 1;
      while (close < end && key[close] != '}') {
        close++;
      }
      if (close < end && close > open + 1) {
        return crc16(key, open + 1, close - open - 1) & SLOT_MASK;
      }
    }
    return crc16(key, offset, length) & SLOT_MASK;
  }

  /** Slot of a whole key. */
  public static int slot(byte[] key) {
    return slot(key, 0, key.length);
  }

  /** Slot of the key in {@code buffer[offset, offset + length)}. */
  public static int slot(DirectBuffer buffer, int offset, int length) {
    final int end = offset + length;
    int open = offset;
    while (open < end && buffer.getByte(open) != '{') {
      open++;
    }
    if (open < end) {
      int close = open + 1;
      while (close < end && buffer.getByte(close) != '}') {
        close++;
      }
      if (close < end && close > open + 1) {
        return crc16(buffer, open + 1, close - open - 1) & SLOT_MASK;
      }
    }
    return crc16(buffer, offset, length) & SLOT_MASK;
  }

  /** CRC16/XMODEM of {@code bytes[offset, offset + length)}, in {@code [0, 65535]}. */
  public static int crc16(byte[] bytes, int offset, int length) {
    int crc = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }

  /** CRC16/XMODEM of {@code buffer[offset, offset + length)}, in {@code [0, 65535]}. */
  public static int crc16(DirectBuffer buffer, int offset, int length) {
    int crc = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ buffer.getByte(i)) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }

  private static char[] table() {
    final char[] table = new char[256];
    for (int b = 0; b < 256; b++) {
      int crc = b << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
      }
      table[b] = (char) (crc & 0xFFFF);
    }
    return table;
  }
}
