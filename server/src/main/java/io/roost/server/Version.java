package io.roost.server;

/** Version strings Roost reports. */
public final class Version {
  private Version() {}

  /** The Redis version whose behaviour Roost follows; clients gate features on it. */
  public static final String REDIS_COMPAT = "7.4.0";

  /** Roost's own version, from the jar manifest when packaged. */
  public static final String ROOST = roost();

  private static String roost() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }
}
