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

  private ClusterConfiguration() {}
}
