package io.roost.server.config;

/** A configuration that cannot be used; the message names the source, line and reason. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
