package io.roost.cluster;

/**
 * Replication counters of one node, for {@code INFO replication/cluster}. An immutable snapshot.
 *
 * @param effectsSent effects appended to replication links (one per destination)
 * @param batchesSent EFFECT_BATCH messages sent, resends included
 * @param bytesSent bytes of EFFECT_BATCH and STATE_CHUNK messages sent
 * @param batchesResent EFFECT_BATCH messages sent again after a view change or a silent backup
 * @param effectsApplied effects applied as a backup
 * @param batchesApplied batches accepted as a backup
 * @param batchesRejected batches refused as a backup (stale view stamp or a gap in the link)
 * @param effectsDropped effects not replicated because this node is not the slot's primary
 *     (backup-side expiry and eviction)
 * @param pendingTickets write tickets waiting for backups
 * @param maxLagEffects largest number of effects sent on a link and not yet acknowledged
 * @param forwardsSent commands forwarded to a primary
 * @param forwardBatchesSent FORWARD_BATCH messages sent (each carries many forwarded commands)
 * @param forwardsExecuted commands executed for another node
 * @param stateTransfersSent slots streamed to a new owner
 * @param stateTransfersPending slot transfers queued or running on this node
 * @param recordsTransferred records received from a slot's primary as a new owner
 * @param assignmentsInstalled owner assignments installed (interim and confirmed)
 * @param bytesInFlight bytes of EFFECT_BATCH messages sent and not yet acknowledged
 * @param handoffs slot handoffs this node completed as an old primary
 * @param rebalancing whether slots are moving: this node's owner lists differ from the target, or
 *     it has transfers or handoffs queued or running
 * @param slotsIncomplete slots this node backs up whose state has not all arrived yet (it forwards
 *     their reads to the primary until it has)
 * @param publishesSent pub/sub messages this node shipped to the other members
 * @param publishesReceived pub/sub messages other members published, delivered here
 * @param publishesDropped pub/sub messages not shipped because too many waited for the sender
 */
public record ClusterStats(
    long effectsSent,
    long batchesSent,
    long bytesSent,
    long batchesResent,
    long effectsApplied,
    long batchesApplied,
    long batchesRejected,
    long effectsDropped,
    long pendingTickets,
    long maxLagEffects,
    long forwardsSent,
    long forwardBatchesSent,
    long forwardsExecuted,
    long stateTransfersSent,
    long stateTransfersPending,
    long recordsTransferred,
    long assignmentsInstalled,
    long bytesInFlight,
    long handoffs,
    boolean rebalancing,
    int slotsIncomplete,
    long publishesSent,
    long publishesReceived,
    long publishesDropped) {

  /** Mean forwarded commands per FORWARD_BATCH message, or 0 before the first. */
  public double forwardsPerBatch() {
    return forwardBatchesSent == 0 ? 0 : (double) forwardsSent / forwardBatchesSent;
  }

  /** Mean effects per EFFECT_BATCH message, or 0 before the first. */
  public double effectsPerBatch() {
    return batchesSent == 0 ? 0 : (double) effectsSent / batchesSent;
  }
}
