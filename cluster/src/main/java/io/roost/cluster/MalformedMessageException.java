package io.roost.cluster;

/** A replication message that does not follow {@link ReplicationMessages}' layout. */
public final class MalformedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a {@code name=value} message. */
  public MalformedMessageException(String message) {
    super(message, null, false, false);
  }
}
