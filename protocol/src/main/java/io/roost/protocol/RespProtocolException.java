package io.roost.protocol;

/**
 * Bad request bytes; the connection must be closed. The message is Redis's text without the {@code
 * "ERR "} prefix (for example {@code "Protocol error: invalid multibulk length"}). When {@link
 * #reply()} is true the server writes {@code "-ERR <message>\r\n"} and then closes; when it is
 * false (query-buffer limit) Redis closes silently, and so must the server.
 *
 * <p>Stackless: a client can trigger it at will, so it must be cheap.
 */
public final class RespProtocolException extends RuntimeException {
  private final boolean reply;

  /** Creates the exception; {@code reply} says whether the client gets an error reply. */
  public RespProtocolException(String message, boolean reply) {
    super(message, null, false, false);
    this.reply = reply;
  }

  /** Whether the server replies {@code -ERR <message>} before closing. */
  public boolean reply() {
    return reply;
  }
}
