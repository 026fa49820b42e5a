package io.roost.server.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * One published message on its way to one subscriber: what kind of push it becomes and the bytes it
 * carries. Immutable; one instance is shared by every subscriber of the same channel (or of the
 * same pattern), and the RESP2/RESP3 framing is chosen by the subscriber's event loop when it
 * writes the message.
 */
public final class Message {
  /** The push a message becomes, with the name Redis puts first in it. */
  public enum Kind {
    MESSAGE("message"),
    PMESSAGE("pmessage"),
    SMESSAGE("smessage");

    private final byte[] wireName;

    Kind(String wireName) {
      this.wireName = wireName.getBytes(StandardCharsets.US_ASCII);
    }

    /** The first element of the push; do not modify. */
    public byte[] wireName() {
      return wireName;
    }
  }

  /** Bytes a message costs beyond its names and payload (headers, lengths, CRLFs). */
  private static final int FRAMING_BYTES = 48;

  private final Kind kind;
  private final ByteKey pattern;
  private final ByteKey channel;
  private final byte[] payload;

  Message(Kind kind, ByteKey pattern, ByteKey channel, byte[] payload) {
    this.kind = kind;
    this.pattern = pattern;
    this.channel = channel;
    this.payload = payload;
  }

  public Kind kind() {
    return kind;
  }

  /** The pattern that matched, for {@link Kind#PMESSAGE}; null otherwise. */
  public ByteKey pattern() {
    return pattern;
  }

  public ByteKey channel() {
    return channel;
  }

  /** The message; do not modify. */
  public byte[] payload() {
    return payload;
  }

  /** About the number of bytes the message takes once written, for output-buffer accounting. */
  public long sizeBytes() {
    return FRAMING_BYTES
        + channel.length()
        + payload.length
        + (pattern == null ? 0 : pattern.length());
  }
}
