package io.roost.server.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A channel or pattern name as a hash-map key: the bytes (never modified after construction) and
 * their hash. Immutable, so it is shared by every subscriber a message reaches.
 */
public final class ByteKey {
  private final byte[] bytes;
  private final int hash;

  /** Takes {@code bytes} as they are: the caller never modifies them afterwards. */
  public ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The name; do not modify. */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
