package io.roost.protocol;

/**
 * Immutable decoder limits; defaults are Redis 7.4's.
 *
 * <p>Implementation notes: a {@code RespLimits} is validated once at construction and shared freely
 * between threads. {@link #maxInlineBytes()} bounds an inline line and the {@code *} and {@code $}
 * header lines (Redis uses {@code PROTO_INLINE_MAX_SIZE} for all three). {@link #maxBulkBytes()} is
 * capped at {@code Integer.MAX_VALUE - 2} because an argument must fit in one {@code ByteBuf} with
 * its CRLF. {@link #queryBufferLimitBytes()} bounds the bytes buffered for one pending command; a
 * {@code ByteBuf} cannot hold more than {@code Integer.MAX_VALUE} bytes anyway.
 */
public final class RespLimits {
  /** Redis {@code PROTO_INLINE_MAX_SIZE}. */
  public static final int DEFAULT_MAX_INLINE_BYTES = 64 * 1024;

  /** Redis {@code proto-max-bulk-len}. */
  public static final long DEFAULT_MAX_BULK_BYTES = 512L * 1024 * 1024;

  /** Redis {@code client-query-buffer-limit}. */
  public static final long DEFAULT_QUERY_BUFFER_LIMIT_BYTES = 1L << 30;

  /** Largest multibulk count an unauthenticated client may send. */
  public static final int UNAUTHENTICATED_MAX_MULTIBULK_LENGTH = 10;

  /** Largest bulk length an unauthenticated client may send. */
  public static final int UNAUTHENTICATED_MAX_BULK_BYTES = 16384;

  /** Query-buffer limit for an unauthenticated client (Redis closes it silently above 1 MiB). */
  public static final long UNAUTHENTICATED_QUERY_BUFFER_LIMIT_BYTES = 1024 * 1024;

  /** Largest {@link #maxBulkBytes()} accepted: the argument plus CRLF must fit in a ByteBuf. */
  public static final long MAX_MAX_BULK_BYTES = Integer.MAX_VALUE - 2;

  /** Redis's defaults. */
  public static final RespLimits DEFAULTS =
      new RespLimits(
          DEFAULT_MAX_INLINE_BYTES, DEFAULT_MAX_BULK_BYTES, DEFAULT_QUERY_BUFFER_LIMIT_BYTES);

  private final int maxInlineBytes;
  private final long maxBulkBytes;
  private final long queryBufferLimitBytes;

  /**
   * Creates limits.
   *
   * @throws IllegalArgumentException when a value is out of range
   */
  public RespLimits(int maxInlineBytes, long maxBulkBytes, long queryBufferLimitBytes) {
    if (maxInlineBytes < 1) {
      throw new IllegalArgumentException("maxInlineBytes=" + maxInlineBytes + " (must be >= 1)");
    }
    if (maxBulkBytes < 1 || maxBulkBytes > MAX_MAX_BULK_BYTES) {
      throw new IllegalArgumentException(
          "maxBulkBytes=" + maxBulkBytes + " (must be in [1, " + MAX_MAX_BULK_BYTES + "])");
    }
    if (queryBufferLimitBytes < 1) {
      throw new IllegalArgumentException(
          "queryBufferLimitBytes=" + queryBufferLimitBytes + " (must be >= 1)");
    }
    this.maxInlineBytes = maxInlineBytes;
    this.maxBulkBytes = maxBulkBytes;
    this.queryBufferLimitBytes = queryBufferLimitBytes;
  }

  /** Longest inline line, and longest {@code *}/{@code $} header line, in bytes. */
  public int maxInlineBytes() {
    return maxInlineBytes;
  }

  /** Longest bulk argument in bytes ({@code proto-max-bulk-len}). */
  public long maxBulkBytes() {
    return maxBulkBytes;
  }

  /** Most bytes buffered for one pending command ({@code client-query-buffer-limit}). */
  public long queryBufferLimitBytes() {
    return queryBufferLimitBytes;
  }

  @Override
  public String toString() {
    return "RespLimits{maxInlineBytes="
        + maxInlineBytes
        + ", maxBulkBytes="
        + maxBulkBytes
        + ", queryBufferLimitBytes="
        + queryBufferLimitBytes
        + '}';
  }
}
