package io.roost.cluster;

import java.util.List;

/**
 * What this node believes about the cluster at one moment, for {@code CLUSTER
 * INFO/MYID/NODES/SLOTS/SHARDS} and {@code INFO cluster}. Immutable.
 *
 * @param epoch the JGroups view id this snapshot belongs to (0 before the first view)
 * @param members members in view order
 * @param ownership owner lists over {@code members}, or null before the first assignment
 * @param majority whether this node sees a majority of the last stable view
 * @param confirmed whether {@code ownership} is the coordinator's assignment for this view (false
 *     while the interim one, derived locally after a view change, is in use)
 */
public record ClusterView(
    long epoch,
    List<ClusterView.Member> members,
    SlotOwnership<ClusterView.Member> ownership,
    boolean majority,
    boolean confirmed) {

  /**
   * One member.
   *
   * @param id 40 hex characters, stable for the member's process lifetime
   * @param clientEndpoint {@code host:port} its clients use
   * @param self whether this is the local node
   */
  public record Member(String id, String clientEndpoint, boolean self) {}

  /** {@code ok} when writes are accepted and slots are assigned, else {@code fail}. */
  public String state() {
    return majority && ownership != null ? "ok" : "fail";
  }

  /** The local member, or null before the first view. */
  public Member self() {
    for (Member member : members) {
      if (member.self()) {
        return member;
      }
    }
    return null;
  }
}
