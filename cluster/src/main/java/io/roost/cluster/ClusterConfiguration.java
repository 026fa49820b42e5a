package io.roost.cluster;

/**
 * Defaults of the cluster settings (first configuration layer, STYLE §10). Values are filled into a
 * {@link ClusterContext} by the server's config file and command line; nothing here reads system
 * properties.
 */
public final class ClusterConfiguration {
  /** JGroups cluster name: nodes with different names never join. */
  public static final String CLUSTER_NAME_DEFAULT = "roost";

  /** Address the JGroups transport binds to. */
  public static final String BIND_ADDRESS_DEFAULT = "127.0.0.1";

  /** Port the JGroups transport binds to. */
  public static final int PORT_DEFAULT = 7800;

  /** Owners per slot (primary included). */
  public static final int OWNERS_DEFAULT = 2;

  /** Value of {@code owners} meaning every member owns every slot. */
  public static final int OWNERS_ALL = OwnerAssignment.ALL;

  /** Whether a node that does not see a majority of the last stable view refuses writes. */
  public static final boolean REQUIRE_MAJORITY_DEFAULT = true;

  /** Classpath resource of the production JGroups stack. */
  public static final String STACK_RESOURCE_DEFAULT = "roost-jgroups-tcp.xml";

  /** Longest cluster name accepted. */
  public static final int MAX_CLUSTER_NAME_LENGTH = 128;

  /** Shortest shared secret accepted for peer authentication and encryption. */
  public static final int SECRET_MIN_LENGTH = 16;

  /** Longest shared secret accepted. */
  public static final int SECRET_MAX_LENGTH = 1024;

  /** Key derivation from the shared secret (JDK name). */
  public static final String SECRET_KDF = "PBKDF2WithHmacSHA256";

  /**
   * PBKDF2 iterations: slows a guess of the secret from captured peer traffic down to about a
   * second of CPU per guess (OWASP's 2023 figure for PBKDF2-HMAC-SHA256).
   */
  public static final int SECRET_KDF_ITERATIONS = 600_000;

  /**
   * Salt prefix of the key derivation; the salt is this prefix followed by the cluster name
   * (UTF-8), so two clusters sharing a secret still use different keys. Changing it changes every
   * key: nodes of different versions could no longer talk.
   */
  public static final String SECRET_SALT_PREFIX = "roost-cluster-secret-v1:";

  /**
   * Authenticated cipher of peer messages (JDK name): ChaCha20-Poly1305 takes the nonce as the
   * plain IvParameterSpec that JGroups' SYM_ENCRYPT passes, which AES-GCM does not accept.
   */
  public static final String PEER_CIPHER = "ChaCha20-Poly1305";

  /** Key algorithm of {@link #PEER_CIPHER}. */
  public static final String PEER_KEY_ALGORITHM = "ChaCha20";

  /** Key length of {@link #PEER_CIPHER} in bytes. */
  public static final int PEER_KEY_BYTES = 32;

  /** Nonce length of {@link #PEER_CIPHER} in bytes (random per message). */
  public static final int PEER_NONCE_BYTES = 12;

  private ClusterConfiguration() {}
}
