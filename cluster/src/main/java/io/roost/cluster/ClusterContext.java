package io.roost.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Cluster settings of one node, filled once at start-up and validated by {@link #conclude()}. Owned
 * by the start-up thread until concluded; immutable (and safe to share) afterwards.
 *
 * <p>Error messages are {@code name=value reason}, ready to be reported against the config line
 * that set them; the shared secret is never part of a message, of {@link #toString()} or of a log.
 *
 * <p>Implementation notes: {@link #conclude()} does the start-up work once — it derives the peer
 * key from the secret (PBKDF2, about a second of CPU) and drops the secret, and it reads the
 * user-supplied JGroups stack file — so that building the channel later only assembles what is
 * already checked.
 */
public final class ClusterContext {
  /** How a primary acknowledges writes. */
  public enum Replication {
    /** Reply once every backup in the current view applied the effect. */
    SYNC,
    /** Reply at once; backups catch up asynchronously. */
    ASYNC
  }

  /** How a node answers a request for a slot it is not primary of. */
  public enum ClusterMode {
    /** Forward to the primary (clients need not know about the cluster). */
    ROOST,
    /** Answer {@code -MOVED}/{@code -ASK} as Redis Cluster does. */
    REDIS
  }

  private boolean concluded;
  private String clusterName = ClusterConfiguration.CLUSTER_NAME_DEFAULT;
  private String bindAddress = ClusterConfiguration.BIND_ADDRESS_DEFAULT;
  private int port = ClusterConfiguration.PORT_DEFAULT;
  private String members = "";
  private List<InetSocketAddress> memberAddresses = List.of();
  private int owners = ClusterConfiguration.OWNERS_DEFAULT;
  private Replication replication = Replication.SYNC;
  private ClusterMode clusterMode = ClusterMode.ROOST;
  private boolean requireMajority = ClusterConfiguration.REQUIRE_MAJORITY_DEFAULT;
  private String secret = "";
  private byte[] peerKey;
  private String stackFile = "";
  private String stackXml;

  /** Sets the JGroups cluster name. */
  public ClusterContext clusterName(String clusterName) {
    checkOpen();
    this.clusterName = clusterName;
    return this;
  }

  /** Sets the address the transport binds to (a literal address or host name). */
  public ClusterContext bindAddress(String bindAddress) {
    checkOpen();
    this.bindAddress = bindAddress;
    return this;
  }

  /** Sets the transport port. */
  public ClusterContext port(int port) {
    checkOpen();
    this.port = port;
    return this;
  }

  /** Sets the initial members, {@code host:port,host:port} ({@code [v6]:port} for IPv6). */
  public ClusterContext members(String members) {
    checkOpen();
    this.members = members;
    return this;
  }

  /** Sets owners per slot; {@link ClusterConfiguration#OWNERS_ALL} for all. */
  public ClusterContext owners(int owners) {
    checkOpen();
    this.owners = owners;
    return this;
  }

  /** Sets owners per slot from its config text: a positive integer or {@code all}. */
  public ClusterContext owners(String owners) {
    checkOpen();
    if ("all".equalsIgnoreCase(owners.trim())) {
      this.owners = ClusterConfiguration.OWNERS_ALL;
      return this;
    }
    try {
      this.owners = Integer.parseInt(owners.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("owners=" + owners + " must be a positive integer or all");
    }
    return this;
  }

  /** Sets the replication mode. */
  public ClusterContext replication(Replication replication) {
    checkOpen();
    this.replication = replication;
    return this;
  }

  /** Sets the replication mode from its config text, {@code sync} or {@code async}. */
  public ClusterContext replication(String replication) {
    return replication(parse(Replication.class, "replication", replication));
  }

  /** Sets the cluster mode. */
  public ClusterContext clusterMode(ClusterMode clusterMode) {
    checkOpen();
    this.clusterMode = clusterMode;
    return this;
  }

  /** Sets the cluster mode from its config text, {@code roost} or {@code redis}. */
  public ClusterContext clusterMode(String clusterMode) {
    return clusterMode(parse(ClusterMode.class, "cluster-mode", clusterMode));
  }

  /** Sets whether writes need a majority of the last stable view. */
  public ClusterContext requireMajority(boolean requireMajority) {
    checkOpen();
    this.requireMajority = requireMajority;
    return this;
  }

  /**
   * Sets the shared secret of the cluster's nodes; empty (the default) leaves peer traffic
   * unauthenticated and in clear. With a secret, every peer message is encrypted and authenticated
   * with a key derived from it and the cluster name ({@link JGroupsStack}).
   */
  public ClusterContext secret(String secret) {
    checkOpen();
    this.secret = Objects.requireNonNull(secret, "secret");
    return this;
  }

  /**
   * Sets a JGroups XML stack file that replaces the built-in one; empty (the default) uses {@link
   * ClusterConfiguration#STACK_RESOURCE_DEFAULT}. Its {@code ${roost.*}} placeholders get the same
   * values as the built-in file's; other placeholders are left to JGroups.
   */
  public ClusterContext stackFile(String stackFile) {
    checkOpen();
    this.stackFile = Objects.requireNonNull(stackFile, "stackFile");
    return this;
  }

  /** Validates every setting; afterwards the context is read-only. Idempotent. */
  public ClusterContext conclude() {
    if (concluded) {
      return this;
    }
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(replication, "replication");
    Objects.requireNonNull(clusterMode, "clusterMode");
    if (clusterName.isEmpty()
        || clusterName.length() > ClusterConfiguration.MAX_CLUSTER_NAME_LENGTH
        || !clusterName.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      throw new IllegalArgumentException(
          "clusterName="
              + clusterName
              + " must be 1.."
              + ClusterConfiguration.MAX_CLUSTER_NAME_LENGTH
              + " printable ASCII characters");
    }
    if (bindAddress.isBlank()) {
      throw new IllegalArgumentException("bindAddress=" + bindAddress + " must not be blank");
    }
    checkPort("port", port);
    if (owners < 1) {
      throw new IllegalArgumentException("owners=" + owners + " must be >= 1 or all");
    }
    memberAddresses = parseMembers(members);
    if (!secret.isEmpty()) {
      if (secret.length() < ClusterConfiguration.SECRET_MIN_LENGTH
          || secret.length() > ClusterConfiguration.SECRET_MAX_LENGTH) {
        throw new IllegalArgumentException(
            "secret must be "
                + ClusterConfiguration.SECRET_MIN_LENGTH
                + ".."
                + ClusterConfiguration.SECRET_MAX_LENGTH
                + " characters long, length="
                + secret.length());
      }
      peerKey = deriveKey(secret, clusterName);
      secret = "";
    }
    if (!stackFile.isEmpty()) {
      try {
        stackXml = Files.readString(Path.of(stackFile), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("cluster-config=" + stackFile + " cannot be read: " + e);
      }
    }
    concluded = true;
    return this;
  }

  /**
   * The peer key for {@code secret} in cluster {@code clusterName}: PBKDF2-HMAC-SHA256 over the
   * secret (UTF-8), salt {@link ClusterConfiguration#SECRET_SALT_PREFIX} + cluster name, {@link
   * ClusterConfiguration#SECRET_KDF_ITERATIONS} iterations, {@link
   * ClusterConfiguration#PEER_KEY_BYTES} bytes.
   */
  static byte[] deriveKey(String secret, String clusterName) {
    return deriveKey(secret, clusterName, ClusterConfiguration.SECRET_KDF_ITERATIONS);
  }

  /** {@link #deriveKey(String, String)} with another iteration count (tests). */
  static byte[] deriveKey(String secret, String clusterName, int iterations) {
    final char[] chars = secret.toCharArray();
    final PBEKeySpec spec =
        new PBEKeySpec(
            chars,
            (ClusterConfiguration.SECRET_SALT_PREFIX + clusterName)
                .getBytes(StandardCharsets.UTF_8),
            iterations,
            ClusterConfiguration.PEER_KEY_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance(ClusterConfiguration.SECRET_KDF)
          .generateSecret(spec)
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("kdf=" + ClusterConfiguration.SECRET_KDF + " unavailable", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  /** JGroups cluster name. */
  public String clusterName() {
    return clusterName;
  }

  /** Transport bind address. */
  public String bindAddress() {
    return bindAddress;
  }

  /** Transport port. */
  public int port() {
    return port;
  }

  /** Initial members as configured (unresolved), in configuration order. */
  public List<InetSocketAddress> members() {
    checkConcluded();
    return memberAddresses;
  }

  /** Owners per slot; {@link ClusterConfiguration#OWNERS_ALL} for all. */
  public int owners() {
    return owners;
  }

  /** Replication mode. */
  public Replication replication() {
    return replication;
  }

  /** Cluster mode. */
  public ClusterMode clusterMode() {
    return clusterMode;
  }

  /** Whether writes need a majority of the last stable view. */
  public boolean requireMajority() {
    return requireMajority;
  }

  /** Whether peer traffic is authenticated and encrypted (a secret was set). */
  public boolean peerEncryption() {
    checkConcluded();
    return peerKey != null;
  }

  /** The key derived from the secret, or null without one; a copy. */
  byte[] peerKey() {
    checkConcluded();
    return peerKey == null ? null : peerKey.clone();
  }

  /** The user-supplied stack file as configured, or the empty string for the built-in stack. */
  public String stackFile() {
    return stackFile;
  }

  /** The user-supplied stack file's text as read by {@link #conclude()}, or null. */
  String stackXml() {
    checkConcluded();
    return stackXml;
  }

  /**
   * Values for the placeholders of {@link ClusterConfiguration#STACK_RESOURCE_DEFAULT}: bind
   * address, port and TCPPING initial hosts (this node itself when no members are configured).
   */
  public Properties stackProperties() {
    checkConcluded();
    final Properties properties = new Properties();
    properties.setProperty("roost.bind_addr", bindAddress);
    properties.setProperty("roost.bind_port", Integer.toString(port));
    final StringBuilder hosts = new StringBuilder();
    final List<InetSocketAddress> initial =
        memberAddresses.isEmpty()
            ? List.of(InetSocketAddress.createUnresolved(bindAddress, port))
            : memberAddresses;
    for (InetSocketAddress member : initial) {
      if (!hosts.isEmpty()) {
        hosts.append(',');
      }
      hosts.append(member.getHostString()).append('[').append(member.getPort()).append(']');
    }
    properties.setProperty("roost.initial_hosts", hosts.toString());
    return properties;
  }

  @Override
  public String toString() {
    return "ClusterContext{clusterName="
        + clusterName
        + " bindAddress="
        + bindAddress
        + " port="
        + port
        + " members="
        + members
        + " owners="
        + (owners == ClusterConfiguration.OWNERS_ALL ? "all" : Integer.toString(owners))
        + " replication="
        + replication
        + " clusterMode="
        + clusterMode
        + " requireMajority="
        + requireMajority
        + " stackFile="
        + (stackFile.isEmpty() ? "(built-in)" : stackFile)
        + " peerEncryption="
        + (peerKey != null || !secret.isEmpty())
        + "}";
  }

  static List<InetSocketAddress> parseMembers(String members) {
    final List<InetSocketAddress> parsed = new ArrayList<>();
    if (members.isBlank()) {
      return List.of();
    }
    for (String raw : members.split(",", -1)) {
      final String member = raw.trim();
      final int colon = member.lastIndexOf(':');
      if (colon <= 0 || colon == member.length() - 1) {
        throw new IllegalArgumentException(
            "members=" + members + " entry=" + member + " must be host:port");
      }
      String host = member.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "members=" + members + " entry=" + member + " IPv6 hosts need [brackets]");
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException(
            "members=" + members + " entry=" + member + " has no host");
      }
      final int port;
      try {
        port = Integer.parseInt(member.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("members=" + members + " entry=" + member + " bad port");
      }
      checkPort("members port", port);
      parsed.add(InetSocketAddress.createUnresolved(host, port));
    }
    return List.copyOf(parsed);
  }

  private static void checkPort(String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + "=" + port + " must be in [1, 65535]");
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String name, String text) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name
              + "="
              + text
              + " is not one of "
              + List.of(type.getEnumConstants()).toString().toLowerCase(Locale.ROOT));
    }
  }

  private void checkOpen() {
    if (concluded) {
      throw new IllegalStateException("ClusterContext is concluded");
    }
  }

  private void checkConcluded() {
    if (!concluded) {
      throw new IllegalStateException("ClusterContext is not concluded");
    }
  }
}
