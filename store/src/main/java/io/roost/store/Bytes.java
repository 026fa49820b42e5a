package io.roost.store;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/** Stateless byte helpers: equality, hashing, CRC16 cluster slots. Any thread. */
public final class Bytes {
  private static final long K1 = 0x9E3779B97F4A7C15L;
  private static final long K2 = 0xC2B2AE3D27D4EB4FL;
  private static final int[] CRC16_TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int j = 0; j < 8; j++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      CRC16_TABLE[i] = crc & 0xFFFF;
    }
  }

  private Bytes() {}

  /**
   * @return true if the two ranges hold the same bytes.
   */
  static boolean equals(
      final DirectBuffer a, final int aOff, final DirectBuffer b, final int bOff, final int len) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      if (a.getLong(aOff + i) != b.getLong(bOff + i)) {
        return false;
      }
    }
    for (; i < len; i++) {
      if (a.getByte(aOff + i) != b.getByte(bOff + i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Seeded 64-bit hash of a key (not cryptographic; seed per process against flooding).
   *
   * @return the hash.
   */
  static long hash(final DirectBuffer b, final int off, final int len, final long seed) {
    long h = seed ^ (len * K1);
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      final long k = b.getLong(off + i, ByteOrder.LITTLE_ENDIAN) * K2;
      h = Long.rotateLeft(h ^ (Long.rotateLeft(k, 31) * K1), 27) * 5 + 0x52DCE729;
    }
    long tail = 0;
    for (int s = 0; i < len; i++, s += 8) {
      tail |= (b.getByte(off + i) & 0xFFL) << s;
    }
    h ^= Long.rotateLeft(tail * K2, 31) * K1;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }

  /**
   * Redis Cluster hash slot of a key: CRC16/XMODEM of the key or of its first non-empty {@code
   * {hash tag}}, modulo 16384.
   *
   * @return slot 0..16383.
   */
  public static int clusterSlot(final DirectBuffer key, final int off, final int len) {
    int start = 0;
    int end = len;
    for (int i = 0; i < len; i++) {
      if (key.getByte(off + i) == '{') {
        for (int j = i + 1; j < len; j++) {
          if (key.getByte(off + j) == '}') {
            if (j != i + 1) {
              start = i + 1;
              end = j;
            }
            break;
          }
        }
        break;
      }
    }
    return crc16(key, off + start, end - start) & 16383;
  }

  /**
   * CRC16/XMODEM (poly 0x1021, init 0, no reflection, no final xor) of {@code b[off, off + len)}.
   *
   * @return 0..65535.
   */
  public static int crc16(final DirectBuffer b, final int off, final int len) {
    int crc = 0;
    for (int i = off, end = off + len; i < end; i++) {
      crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ b.getByte(i)) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }
}
