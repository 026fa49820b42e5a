package io.roost.cluster;

import io.roost.store.EffectDescriptor;
import io.roost.store.EffectSink;
import io.roost.store.RecordDescriptor;
import io.roost.store.Store;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a Roost cluster: membership, slot assignment, the replication stream of the slots it
 * is primary of, forwarding, and the write tickets the server waits on. Thread-safe: the effect
 * sink runs on request threads (holding shard locks), messages arrive on JGroups threads, views on
 * the membership thread, and one sender thread ({@code roost-cluster-sender-<id>}) ships batches
 * and runs timeouts.
 *
 * <p>Implementation notes.
 *
 * <ul>
 *   <li><b>Routing.</b> Everything the hot path needs (view, stamp, owner lists, the link of each
 *       member) is one immutable {@link Routing} published through a volatile field. After a view
 *       change every node installs an <i>interim</i> assignment at once: the previous one with
 *       departed members failed over by {@link OwnerAssignment#next} (joiners own nothing yet); the
 *       assigner (the coordinator, or after a merge the coordinator of the largest side) computes
 *       the target {@code next(previous, members)} and the staged lists to install now, and
 *       multicasts them as ASSIGNMENT and TARGET; they replace the interim lists when they arrive
 *       for the same view. A fresh node waits for them.
 *   <li><b>Links.</b> Each (this node → other member) pair has a {@link Link}: a counter of entries
 *       (sequence {@code 1, 2, ...} within a random incarnation, see {@link
 *       ReplicationMessages#linkSeq}), the open batch being filled by request threads, and the
 *       sealed batches not yet acknowledged. The sender thread seals and sends; a backup applies a
 *       batch only when it carries the backup's current view stamp and continues the link without a
 *       gap, then acknowledges the highest entry applied. Unacknowledged batches are sent again
 *       (stamped with the current view) after a view change or {@link #RESEND_INTERVAL_NS} of
 *       silence (no acknowledgement advancing); duplicates are skipped by sequence. A link is
 *       dropped when its destination leaves the view; a member that comes back gets a new
 *       incarnation.
 *   <li><b>Forwarding.</b> A command for a slot this node is not primary of goes into the {@link
 *       Outbox} of the primary's link, and replies to commands other nodes forwarded here go into
 *       the outbox of the forwarder's link: many per FORWARD_BATCH / FORWARD_REPLY_BATCH message,
 *       shipped by the sender thread like effect batches. Requests from one node reach the primary
 *       in append order (JGroups delivers one sender's regular messages in order) and are handed to
 *       the executor in that order. The sender is woken once per batch: by {@link #flush} (the
 *       server calls it after each read batch), when the last reply of a received FORWARD_BATCH is
 *       queued, and when a write starts waiting for its backups; otherwise it polls every {@link
 *       #IDLE_PARK_NS}.
 *   <li><b>Fencing.</b> A backup never applies a batch stamped with another view, so a primary
 *       whose view is stale never has a write acknowledged; a ticket that would complete while this
 *       node lacks a majority (and {@code requireMajority}) fails with {@code -CLUSTERDOWN}.
 *   <li><b>Effects.</b> The sink routes an effect by its key's slot to the slot's backups, but only
 *       when this node is the slot's primary: backups' own expiry and eviction, and effects
 *       re-emitted while applying a batch (the store does not emit while replaying), go nowhere.
 *       FLUSHDB/FLUSHALL/SWAPDB go to every member.
 *   <li><b>Tickets.</b> {@link #beginCommand}/{@link #endCommand} collect, per thread, the highest
 *       sequence emitted on each link; a ticket waits until every link reached it (or its
 *       destination left).
 *   <li><b>Moving slots</b> (docs/replication.md). The assigner multicasts staged owner lists
 *       (ASSIGNMENT: a slot whose list changes keeps its old primary first, then its previous
 *       owners, whose copies are complete) and the target lists (TARGET); target owners a staged
 *       list leaves out are the slot's incoming owners ({@link #incoming}). A primary streams each
 *       slot to listed owners that lacked it and to its incoming owners, and sends the latter its
 *       effects too: SLOTS_RESET, the slot's records ({@code Database.exportSlots}, each shard
 *       under its lock, so records and live effects stay in order), SLOTS_COMPLETE; until then a
 *       listed owner does not serve reads of it. The primary then gives the slots their target
 *       lists ({@link #handOff}): once every owner acknowledged its link, and when the primary
 *       changes after it stopped being their primary and the writes begun under the previous
 *       routing ended ({@link Routing#inFlight}, counted by {@link #beginCommand}/{@link
 *       #endCommand}), it multicasts HANDOFF, on which every member installs the target lists of
 *       those slots. A leaving node sends LEAVING first; the members outside the largest side of a
 *       merge drop their copy. Once a node's lists equal the target it drops the slots it does not
 *       own.
 * </ul>
 */
public final class ClusterNode implements AutoCloseable {
  /** Creates the node's channel (production: from the context; tests: in-JVM stacks). */
  @FunctionalInterface
  interface ChannelFactory {
    JChannel create() throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** How long a forwarded command may wait for its reply. */
  static final long FORWARD_TIMEOUT_MS_DEFAULT = 10_000;

  /** How long {@link #start} waits for the first assignment. */
  static final long START_TIMEOUT_MS = 30_000;

  /** Unacknowledged batches are sent again after this long without an acknowledgement. */
  static final long RESEND_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1_000);

  /** Period of timeouts and retries on the sender thread. */
  static final long TIMER_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Longest the sender sleeps when nobody calls {@link #flush}. */
  static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A batch is sealed once it holds this many bytes. */
  static final int MAX_BATCH_BYTES = 32 * 1024;

  /** Initial size of an outbox's open forward batches. */
  static final int INITIAL_OUTBOX_BYTES = 4 * 1024;

  /**
   * Longest a handoff waits for the commands in flight under the routing it replaces; also the
   * period of its warnings while its new primary has not acknowledged (it waits as long as the view
   * holds: a handoff given up would leave its slots without an agreed primary until the next view).
   */
  static final long HANDOFF_WARN_NS = TimeUnit.SECONDS.toNanos(10);

  /** Bytes of pub/sub messages that may wait for the sender before new ones are dropped. */
  static final int MAX_PUBLISH_BACKLOG_BYTES = 64 * 1024 * 1024;

  /** A leaving node that handed everything off leaves once no forward came for this long. */
  static final long LEAVE_QUIET_NS = TimeUnit.MILLISECONDS.toNanos(300);

  /** Poll period of a handoff waiting for an acknowledgement. */
  static final long HANDOFF_POLL_NS = TimeUnit.MICROSECONDS.toNanos(200);

  /** Delay before a forward refused by a non-primary is sent again. */
  static final long FORWARD_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final ViewStamp NO_VIEW = new ViewStamp(0, 0, 0);

  private static final byte[] EMPTY = new byte[0];

  /**
   * Start of the error a forwarded command gets when its slot's primary moved before it ran (see
   * the server's ClusterRouter): the forwarder sends it again instead of passing it on.
   */
  private static final byte[] MOVED_HERE = "-TRYAGAIN Slot ".getBytes(StandardCharsets.US_ASCII);

  /**
   * First byte of a batch entry that carries a state record instead of an effect (effect op ids
   * start at 1): {@code 0 | db u8 | record} ({@code Database.exportSlot} layout).
   */
  static final int RECORD_MARKER = 0;

  /** Length of a record entry's prefix (marker, db). */
  static final int RECORD_PREFIX_LENGTH = 2;

  /**
   * First byte of a batch entry {@code 0xFE | slot set (16384 bits, little-endian longs)}: the
   * receiver drops its keys of these slots; their records and live effects follow.
   */
  static final int SLOTS_RESET = 0xFE;

  /** First byte of a batch entry {@code 0xFD | slot set}: these slots' records are all sent. */
  static final int SLOTS_COMPLETE = 0xFD;

  /** Length of a SLOTS_RESET or SLOTS_COMPLETE entry. */
  static final int SLOT_SET_ENTRY_LENGTH = 1 + SlotHash.SLOT_COUNT / 8;

  static final byte[] CLUSTER_DOWN = resp("-CLUSTERDOWN The cluster is down");
  static final byte[] FORWARD_TIMED_OUT =
      resp("-TRYAGAIN Forwarded command got no reply from the slot's primary");
  static final byte[] PRIMARY_LEFT =
      resp("-TRYAGAIN The slot's primary left the cluster while running the command");
  static final byte[] SHUTTING_DOWN = resp("-CLUSTERDOWN This node is shutting down");

  private final ClusterContext context;
  private final String clientEndpoint;
  private final CommandExecutor executor;
  private final ChannelFactory channelFactory;
  private final String myId;
  private final boolean sync;
  private final EffectSink sink = this::onEffect;
  private final ThreadLocal<Collector> collectors = ThreadLocal.withInitial(Collector::new);
  private final Map<Address, Link> links = new ConcurrentHashMap<>();
  private final Map<Address, Inbound> inbound = new ConcurrentHashMap<>();
  private final Map<Address, ClusterView.Member> identities = new ConcurrentHashMap<>();
  private final Map<Long, Ticket> tickets = new ConcurrentHashMap<>();
  private final Map<Long, PendingForward> forwards = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<WaitRequest> waits = new ConcurrentLinkedQueue<>();
  private final AtomicLong ticketIds = new AtomicLong();
  private final AtomicLong requestIds = new AtomicLong();
  private final CountDownLatch assigned = new CountDownLatch(1);
  private final Object assignmentLock = new Object();
  private final Thread sender;
  private final java.util.concurrent.ExecutorService transfers;
  private final java.util.concurrent.atomic.AtomicInteger transfersPending =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Stats stats = new Stats();
  private final ThreadLocal<ReplicationMessages.Decoder> decoders =
      ThreadLocal.withInitial(ReplicationMessages.Decoder::new);
  private final ThreadLocal<ExpandableArrayBuffer> scratch =
      ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(256));

  private volatile long forwardTimeoutNs =
      TimeUnit.MILLISECONDS.toNanos(FORWARD_TIMEOUT_MS_DEFAULT);
  private volatile Store store;
  private volatile Membership membership;
  private volatile Routing routing;
  private volatile boolean running;
  private volatile boolean dirty;
  private volatile boolean wakePending;
  private volatile long lastForwardReceivedNs = System.nanoTime();

  private final java.util.concurrent.ConcurrentLinkedQueue<Routing> retired =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final AtomicSlotSet incomplete = new AtomicSlotSet();

  /** Per slot: the view in which its whole state last arrived here (SLOTS_COMPLETE), or -1. */
  private final java.util.concurrent.atomic.AtomicLongArray completedInView = noViews();

  /** Slots this node stopped being primary of whose HANDOFF has not gone out yet (-ASK). */
  private final AtomicSlotSet migrating = new AtomicSlotSet();

  private final java.util.concurrent.atomic.AtomicIntegerArray resets =
      new java.util.concurrent.atomic.AtomicIntegerArray(SlotHash.SLOT_COUNT);
  private final java.util.concurrent.atomic.AtomicInteger handoffsPending =
      new java.util.concurrent.atomic.AtomicInteger();

  private volatile PublishListener publishListener = (kind, channel, message) -> {};
  private final Object publishLock = new Object();
  // Guarded by publishLock: the open PUBLISH_BATCH, sealed ones, and their bytes.
  private ExpandableArrayBuffer publishOpen;
  private int publishLength;
  private int publishCount;
  private long publishBacklogBytes;
  private final List<byte[]> publishSealed = new ArrayList<>();

  // Guarded by assignmentLock.
  private SlotOwnership<Address> assignment;
  private volatile SlotOwnership<Address> target; // read without the lock by importing()
  private ReceivedAssignment pendingAssignment;
  private ReceivedAssignment pendingTarget;
  private final List<ReceivedHandoff> pendingHandoffs = new ArrayList<>();
  private final java.util.Set<Address> leaving = new java.util.HashSet<>();
  private final java.util.Set<Address> leavingServed = new java.util.HashSet<>();
  private View listenerView;

  /** {@code clientEndpoint}: "host:port" clients use to reach this node (CLUSTER SLOTS, MOVED). */
  public ClusterNode(ClusterContext context, String clientEndpoint, CommandExecutor executor) {
    this(context, clientEndpoint, executor, () -> JGroupsStack.channel(context));
  }

  ClusterNode(
      ClusterContext context,
      String clientEndpoint,
      CommandExecutor executor,
      ChannelFactory channelFactory) {
    this.context = context.conclude();
    this.clientEndpoint = clientEndpoint;
    this.executor = executor;
    this.channelFactory = channelFactory;
    this.sync = context.replication() == ClusterContext.Replication.SYNC;
    final byte[] id = new byte[20];
    new SecureRandom().nextBytes(id);
    this.myId = HexFormat.of().formatHex(id);
    this.sender = new Thread(this::sendLoop, "roost-cluster-sender-" + myId.substring(0, 8));
    this.sender.setDaemon(true);
    this.transfers =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
              final Thread thread =
                  new Thread(runnable, "roost-cluster-transfer-" + myId.substring(0, 8));
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * The sink to put in the StoreContext before the Store is built (effects dropped until start).
   */
  public EffectSink effectSink() {
    return sink;
  }

  /**
   * Joins the cluster with this store; returns once the first view and assignment are installed.
   */
  public void start(Store store) throws Exception {
    this.store = store;
    final JChannel channel = channelFactory.create();
    membership = new Membership(channel, this::onViewChange, this::onMessage);
    running = true;
    sender.start();
    membership.connect(context.clusterName());
    if (!assigned.await(START_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "cluster=" + context.clusterName() + " no assignment within ms=" + START_TIMEOUT_MS);
    }
  }

  /** The hash slot of {@code key[off, off + len)} ({@link SlotHash}). */
  public static int slot(DirectBuffer key, int off, int len) {
    return SlotHash.slot(key, off, len);
  }

  /** Whether this node is the primary of {@code slot}. */
  public boolean isPrimary(int slot) {
    final Collector c = collectors.get();
    final Routing r = c.active ? c.routing : routing;
    return r != null && r.owners.primaryIndex(slot) == r.self;
  }

  /** Whether this node owns {@code slot} (primary or backup). */
  public boolean isOwner(int slot) {
    final Routing r = routing;
    return r != null && r.owners.rankOf(slot, r.self) >= 0;
  }

  /**
   * Whether a read of {@code slot} may be answered from this node's copy: it owns the slot and its
   * copy is complete (an owner still receiving the slot's state is not).
   */
  public boolean servesReads(int slot) {
    return isPrimary(slot) || (isOwner(slot) && !incomplete.contains(slot));
  }

  /**
   * Whether this node is handing {@code slot} off: it no longer acts as its primary, but the other
   * members do not know yet (its HANDOFF has not gone out). Redis Cluster calls this a migrating
   * slot and answers -ASK for it.
   */
  public boolean migrating(int slot) {
    return migrating.contains(slot);
  }

  /**
   * Whether {@code slot} is being handed to this node: it is the target's primary but not yet the
   * current one (an importing slot in Redis Cluster's terms).
   */
  public boolean importing(int slot) {
    final Routing r = routing;
    final SlotOwnership<Address> t = target;
    return r != null
        && t != null
        && r.owners.primaryIndex(slot) != r.self
        && t.members().equals(r.members)
        && t.primaryIndex(slot) == r.self;
  }

  /**
   * False while this node does not see a majority of the last stable view (and requireMajority):
   * writes then get -CLUSTERDOWN.
   */
  public boolean writable() {
    final Membership m = membership;
    return m != null && routing != null && (!context.requireMajority() || m.hasMajority());
  }

  /** Client endpoint ("host:port") of the primary of {@code slot}, for -MOVED. */
  public String primaryEndpoint(int slot) {
    final Routing r = routing;
    if (r == null) {
      return clientEndpoint;
    }
    return member(r, r.owners.primaryIndex(slot)).clientEndpoint();
  }

  /**
   * Sends argv to the slot's primary, which executes it through its CommandExecutor; {@code reply}
   * gets the RESP bytes (or an -error on failure/timeout), on any thread.
   */
  public void forward(int slot, int db, int protocol, byte[][] argv, Consumer<byte[]> reply) {
    forward(slot, db, protocol, argv, false, reply);
  }

  /**
   * Like {@link #forward(int, int, int, byte[][], Consumer)}; a {@code readOnly} command whose
   * primary leaves before answering is sent again to the slot's next primary instead of failing (a
   * write is not: it may have run before its primary died).
   */
  public void forward(
      int slot, int db, int protocol, byte[][] argv, boolean readOnly, Consumer<byte[]> reply) {
    final Routing r = routing;
    if (r == null || !running) {
      reply.accept(CLUSTER_DOWN);
      return;
    }
    if (r.owners.primaryIndex(slot) == r.self) {
      executor.execute(db, protocol, argv, reply);
      return;
    }
    final long id = requestIds.incrementAndGet();
    final PendingForward pending =
        new PendingForward(
            id, slot, db, protocol, argv, readOnly, reply, System.nanoTime() + forwardTimeoutNs);
    forwards.put(id, pending);
    stats.forwardsSent.increment();
    sendForward(pending, r);
  }

  /**
   * Starts a write on this thread: until {@link #endCommand}, {@link #isPrimary} answers for the
   * routing current now, and the effects emitted go to that routing's backups (a handoff waits for
   * such commands before its new primary takes over). Collects the links and sequences to wait for.
   */
  public void beginCommand() {
    final Collector c = collectors.get();
    Routing r = routing;
    while (r != null) {
      r.inFlight.incrementAndGet();
      final Routing now = routing;
      if (now == r) {
        break;
      }
      r.inFlight.decrementAndGet(); // retired meanwhile: a handoff may be waiting on it
      r = now;
    }
    c.routing = r;
    c.active = true;
    c.count = 0;
  }

  /** Ends collecting; returns a ticket id (0 = nothing to wait for). */
  public long endCommand() {
    final Collector c = collectors.get();
    c.active = false;
    if (c.routing != null) {
      c.routing.inFlight.decrementAndGet();
      c.routing = null;
    }
    if (c.count == 0) {
      return 0;
    }
    final int n = c.count;
    c.count = 0;
    if (!sync) {
      Arrays.fill(c.links, 0, n, null);
      return 0;
    }
    final Ticket ticket = new Ticket(Arrays.copyOf(c.links, n), Arrays.copyOf(c.seqs, n));
    Arrays.fill(c.links, 0, n, null);
    final long id = ticketIds.incrementAndGet();
    tickets.put(id, ticket);
    return id;
  }

  /**
   * Runs {@code done} (on any thread) once every backup in the current view has applied the
   * ticket's effects (sync), or at once (async or ticket 0). Never runs it when the ticket fails
   * (this node lost its majority): use {@link #whenReplicated(long, Runnable, Consumer)} to hear.
   */
  public void whenReplicated(long ticket, Runnable done) {
    whenReplicated(ticket, done, error -> {});
  }

  /**
   * Like {@link #whenReplicated(long, Runnable)}, but calls {@code failed} with a RESP error
   * ({@code -CLUSTERDOWN ...}) instead when the write cannot be acknowledged: this node lost its
   * majority, or is closing.
   */
  public void whenReplicated(long ticket, Runnable done, Consumer<byte[]> failed) {
    if (ticket == 0) {
      done.run();
      return;
    }
    final Ticket t = tickets.remove(ticket);
    if (t == null) {
      done.run();
      return;
    }
    t.done = done;
    t.failed = failed;
    t.remaining.set(t.links.length + 1);
    for (int i = 0; i < t.links.length; i++) {
      t.links[i].await(t, t.seqs[i]);
    }
    if (t.remaining.get() > 1) {
      // Forwarded writes run where nobody calls flush(): ship their effects now.
      wake();
    }
    t.arrive(this);
  }

  /**
   * WAIT numreplicas timeout: the count of backups that acknowledged everything this node sent so
   * far, once at least {@code numReplicas} or at timeout ({@code timeoutMs} 0 = until close).
   */
  public void waitReplicas(int numReplicas, long timeoutMs, LongConsumer reply) {
    final Routing r = routing;
    final List<Link> targets = new ArrayList<>();
    if (r != null) {
      for (Link link : r.links) {
        if (link != null) {
          targets.add(link);
        }
      }
    }
    final Link[] ls = targets.toArray(new Link[0]);
    final long[] seqs = new long[ls.length];
    for (int i = 0; i < ls.length; i++) {
      seqs[i] = ls[i].lastCounter();
    }
    final long deadlineNs =
        timeoutMs <= 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000L;
    final WaitRequest w = new WaitRequest(ls, seqs, numReplicas, deadlineNs, reply);
    if (w.check(System.nanoTime(), false)) {
      return;
    }
    waits.add(w);
    flush();
    if (w.check(System.nanoTime(), false)) {
      waits.remove(w);
    }
  }

  /**
   * Lets effects and forwards queued so far go out now (the sender also ships them within a
   * millisecond).
   */
  public void flush() {
    if (dirty) {
      wake();
    }
  }

  /** Wakes the sender and gives it a moment to ship what is queued (replies of a leaving node). */
  private void shipNow() {
    dirty = true;
    wake();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
  }

  /** Wakes the sender thread, at most once per round of shipping. */
  private void wake() {
    if (!wakePending) {
      wakePending = true;
      LockSupport.unpark(sender);
    }
  }

  /** Receives the pub/sub messages other members published ({@link #publish}). */
  @FunctionalInterface
  public interface PublishListener {
    /**
     * One message, on a JGroups thread, in the order its node published it.
     *
     * @param kind {@link ReplicationMessages#PUBLISH_CHANNEL} or {@link
     *     ReplicationMessages#PUBLISH_SHARD}
     */
    void onPublish(int kind, byte[] channel, byte[] message);
  }

  /** Sets who hears the messages other members publish; call before clients connect. */
  public void publishListener(PublishListener listener) {
    this.publishListener = listener;
  }

  /**
   * Ships a pub/sub message to every other member (this node delivered it to its own subscribers
   * already): many per PUBLISH_BATCH multicast, sent by the sender thread, each member hearing one
   * node's messages in the order it published them. Any thread; never blocks. Beyond {@link
   * #MAX_PUBLISH_BACKLOG_BYTES} waiting to be sent, messages are dropped and counted, as Redis
   * drops what an overflowing subscriber would have read.
   */
  public void publish(int kind, byte[] channel, byte[] message) {
    final int entry =
        ReplicationMessages.PUBLISH_ENTRY_HEADER_LENGTH + channel.length + message.length;
    synchronized (publishLock) {
      if (publishBacklogBytes + entry > MAX_PUBLISH_BACKLOG_BYTES) {
        stats.publishesDropped.increment();
        return;
      }
      if (publishOpen == null || publishLength + entry > MAX_BATCH_BYTES && publishCount > 0) {
        sealPublishes();
        publishOpen = new ExpandableArrayBuffer(Math.max(INITIAL_OUTBOX_BYTES, 64 + entry));
        publishLength = ReplicationMessages.encodePublishBatch(publishOpen, 0, NO_VIEW);
      }
      publishLength =
          ReplicationMessages.appendPublish(publishOpen, 0, publishLength, kind, channel, message);
      publishCount++;
      publishBacklogBytes += entry;
    }
    stats.publishesSent.increment();
    if (!dirty) {
      dirty = true;
    }
  }

  /** Under publishLock: moves the open PUBLISH_BATCH to the sealed ones. */
  private void sealPublishes() {
    if (publishOpen != null && publishCount > 0) {
      publishSealed.add(Arrays.copyOf(publishOpen.byteArray(), publishLength));
    }
    publishOpen = null;
    publishCount = 0;
  }

  /** Sender thread: multicasts the PUBLISH_BATCH messages queued so far. */
  private void shipPublishes() {
    final List<byte[]> out;
    synchronized (publishLock) {
      if (publishCount == 0 && publishSealed.isEmpty()) {
        return;
      }
      sealPublishes();
      out = new ArrayList<>(publishSealed);
      publishSealed.clear();
      publishBacklogBytes = 0;
    }
    final Membership m = membership;
    if (m == null) {
      return;
    }
    for (byte[] bytes : out) {
      try {
        final Message message = new BytesMessage(null, bytes);
        message.setFlag(Message.TransientFlag.DONT_LOOPBACK);
        m.channel().send(message);
      } catch (Exception e) {
        LOG.debug("publish batch not sent: {}", e.toString());
      }
    }
  }

  /** JGroups thread: messages another member published. */
  private void onPublishBatch(ReplicationMessages.Decoder d) {
    final PublishListener listener = publishListener;
    while (d.nextEntry()) {
      final int channelLength = d.entryChannelLength();
      final byte[] channel = new byte[channelLength];
      final byte[] message = new byte[d.entryPayloadLength() - channelLength];
      d.buffer().getBytes(d.entryPayloadOffset(), channel);
      d.buffer().getBytes(d.entryPayloadOffset() + channelLength, message);
      stats.publishesReceived.increment();
      try {
        listener.onPublish(d.entryKind(), channel, message);
      } catch (RuntimeException e) {
        LOG.error("publish listener failed", e);
      }
    }
  }

  /** 40 hex characters, stable for the process lifetime. */
  public String myId() {
    return myId;
  }

  /** A snapshot of the members, owner lists, epoch and state. */
  public ClusterView view() {
    final Routing r = routing;
    final Membership m = membership;
    if (r == null) {
      final ClusterView.Member self = new ClusterView.Member(myId, clientEndpoint, true);
      return new ClusterView(0, List.of(self), null, false, false);
    }
    final List<ClusterView.Member> members = new ArrayList<>(r.members.size());
    for (int i = 0; i < r.members.size(); i++) {
      members.add(member(r, i));
    }
    return new ClusterView(
        r.stamp.id(),
        List.copyOf(members),
        r.owners.rename(members),
        m != null && m.hasMajority(),
        r.confirmed);
  }

  /** Replication counters. */
  public ClusterStats stats() {
    long lag = 0;
    for (Link link : links.values()) {
      lag = Math.max(lag, link.lag());
    }
    long pending = tickets.size();
    long inFlight = 0;
    for (Link link : links.values()) {
      pending += link.waiterCount();
      inFlight += link.unackedBytes();
    }
    return new ClusterStats(
        stats.effectsSent.sum(),
        stats.batchesSent.sum(),
        stats.bytesSent.sum(),
        stats.batchesResent.sum(),
        stats.effectsApplied.sum(),
        stats.batchesApplied.sum(),
        stats.batchesRejected.sum(),
        stats.effectsDropped.sum(),
        pending,
        lag,
        stats.forwardsSent.sum(),
        stats.forwardBatchesSent.sum(),
        stats.forwardsExecuted.sum(),
        stats.stateTransfersSent.sum(),
        transfersPending.get(),
        stats.recordsTransferred.sum(),
        stats.assignmentsInstalled.sum(),
        inFlight,
        stats.handoffs.sum(),
        rebalancing(),
        incompleteBackupSlots(),
        stats.publishesSent.sum(),
        stats.publishesReceived.sum(),
        stats.publishesDropped.sum());
  }

  private static java.util.concurrent.atomic.AtomicLongArray noViews() {
    final long[] views = new long[SlotHash.SLOT_COUNT];
    Arrays.fill(views, -1);
    return new java.util.concurrent.atomic.AtomicLongArray(views);
  }

  /** Slots this node backs up whose copy is still arriving (see {@link #servesReads}). */
  private int incompleteBackupSlots() {
    final Routing r = routing;
    return r == null ? 0 : incomplete.count(slot -> r.owners.rankOf(slot, r.self) > 0);
  }

  /** Whether slots are moving (see {@link ClusterStats#rebalancing}). */
  private boolean rebalancing() {
    if (transfersPending.get() > 0 || handoffsPending.get() > 0) {
      return true;
    }
    synchronized (assignmentLock) {
      final Routing r = routing;
      return r == null || (target != null && !r.owners.sameLists(target));
    }
  }

  /** Leaves the cluster; pending forwards, tickets and WAITs are answered with errors or counts. */
  @Override
  public void close() {
    if (!running && membership == null) {
      return;
    }
    running = false;
    transfers.shutdownNow();
    LockSupport.unpark(sender);
    try {
      sender.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    final Membership m = membership;
    if (m != null) {
      m.close();
    }
    for (Link link : links.values()) {
      link.close(this, false);
    }
    links.clear();
    tickets.clear();
    for (PendingForward p : forwards.values()) {
      if (forwards.remove(p.id) != null) {
        p.reply.accept(SHUTTING_DOWN);
      }
    }
    WaitRequest w;
    while ((w = waits.poll()) != null) {
      w.check(System.nanoTime(), true);
    }
  }

  // ------------------------------------------------------------------ test hooks

  /** The channel (tests inject faults into it). */
  JChannel channel() {
    return membership.channel();
  }

  /** Sets how long forwards wait for a reply. */
  void forwardTimeoutMs(long timeoutMs) {
    forwardTimeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /** The current owner lists over JGroups addresses, or null. */
  SlotOwnership<Address> ownership() {
    final Routing r = routing;
    return r == null ? null : r.owners;
  }

  /** The owner lists the cluster moves towards in this view, or null before they arrived. */
  SlotOwnership<Address> target() {
    return target;
  }

  /** This node's JGroups address. */
  Address address() {
    return membership.localAddress();
  }

  // ------------------------------------------------------------------ effects (request threads)

  private void onEffect(DirectBuffer buffer, int offset, int length) {
    final Collector c = collectors.get();
    final Routing r = c.active ? c.routing : routing;
    if (r == null) {
      return;
    }
    final int op = buffer.getByte(offset + EffectDescriptor.OP_OFFSET) & 0xFF;
    if (op == EffectDescriptor.FLUSHDB
        || op == EffectDescriptor.FLUSHALL
        || op == EffectDescriptor.SWAPDB) {
      for (Link link : r.links) {
        if (link != null) {
          append(c, link, 0, buffer, offset, length);
        }
      }
      return;
    }
    final int keyLength = buffer.getInt(offset + EffectDescriptor.HEADER_LENGTH, LE);
    final int slot = SlotHash.slot(buffer, offset + EffectDescriptor.HEADER_LENGTH + 4, keyLength);
    if (r.owners.primaryIndex(slot) != r.self) {
      stats.effectsDropped.increment();
      return;
    }
    for (int rank = 1; rank < r.owners.ownersPerSlot(); rank++) {
      append(c, r.links[r.owners.ownerIndex(slot, rank)], slot, buffer, offset, length);
    }
    for (int i = 0; ; i++) {
      final int incoming = r.incoming(slot, i);
      if (incoming < 0) {
        break;
      }
      append(c, r.links[incoming], slot, buffer, offset, length);
    }
  }

  private void append(
      Collector c, Link link, int slot, DirectBuffer buffer, int offset, int length) {
    final long seq = link.append(slot, buffer, offset, length);
    if (seq < 0) {
      return;
    }
    stats.effectsSent.increment();
    if (!dirty) {
      dirty = true;
    }
    if (c.active) {
      c.record(link, seq);
    }
  }

  // ------------------------------------------------------------------ sender thread

  private void sendLoop() {
    long nextTimerNs = System.nanoTime();
    while (running) {
      dirty = false;
      wakePending = false;
      final long now = System.nanoTime();
      final Routing r = routing;
      for (Link link : links.values()) {
        link.ship(this, now);
        link.outbox.ship(this, link.destination, r);
      }
      shipPublishes();
      if (now - nextTimerNs >= 0) {
        nextTimerNs = now + TIMER_INTERVAL_NS;
        try {
          timers(now);
        } catch (RuntimeException e) {
          LOG.error("cluster timers failed", e);
        }
      }
      if (!dirty) {
        LockSupport.parkNanos(this, IDLE_PARK_NS);
      }
    }
  }

  private void timers(long now) {
    final Routing r = routing;
    for (PendingForward p : forwards.values()) {
      if (now - p.deadlineNs >= 0) {
        if (forwards.remove(p.id) != null) {
          p.reply.accept(FORWARD_TIMED_OUT);
        }
      } else if (p.retryAtNs != 0 && now - p.retryAtNs >= 0 && r != null) {
        p.retryAtNs = 0;
        sendForward(p, r);
      }
    }
    for (WaitRequest w : waits) {
      if (w.check(now, false)) {
        waits.remove(w);
      }
    }
  }

  void send(Address destination, byte[] bytes, boolean oob) {
    final Membership m = membership;
    if (m == null) {
      return;
    }
    try {
      final Message message = new BytesMessage(destination, bytes);
      if (oob) {
        message.setFlag(Message.Flag.OOB);
      }
      m.channel().send(message);
    } catch (Exception e) {
      LOG.debug("send to={} failed: {}", destination, e.toString());
    }
  }

  // ------------------------------------------------------------------ forwarding

  /** Queues {@code p} for the slot's primary (or runs it here if this node became it). */
  private void sendForward(PendingForward p, Routing r) {
    final int primary = r.owners.primaryIndex(p.slot);
    if (primary == r.self) {
      if (forwards.remove(p.id) != null) {
        executor.execute(p.db, p.protocol, p.argv, p.reply);
      }
      return;
    }
    final Link link = r.links[primary];
    p.target = link.destination;
    if (!link.outbox.request(p)) {
      // The primary left meanwhile (its link is closed).
      primaryLeft(p);
      return;
    }
    if (!dirty) {
      dirty = true;
    }
  }

  /** {@code p}'s primary left before answering: a read goes to the next primary, a write fails. */
  private void primaryLeft(PendingForward p) {
    if (p.readOnly) {
      p.target = null;
      p.retryAtNs = System.nanoTime() + FORWARD_RETRY_NS;
    } else if (forwards.remove(p.id) != null) {
      p.reply.accept(PRIMARY_LEFT);
    }
  }

  /** JGroups thread: runs a batch of forwarded commands in order; replies go to the outbox. */
  private void onForwardBatch(Address source, ReplicationMessages.Decoder d) {
    lastForwardReceivedNs = System.nanoTime();
    final int count = d.forwardCount();
    if (count == 0) {
      return;
    }
    final Link link = links.computeIfAbsent(source, a -> new Link(a));
    final Routing r = routing;
    final ReceivedForwards batch = new ReceivedForwards(count);
    while (d.nextEntry()) {
      final long id = d.entryRequestId();
      if (r == null || r.owners.primaryIndex(d.entrySlot()) != r.self) {
        queueReply(link, batch, id, ReplicationMessages.STATUS_NOT_PRIMARY, EMPTY);
        continue;
      }
      final ForwardCodec.Request request;
      try {
        request = ForwardCodec.decode(d.buffer(), d.entryPayloadOffset(), d.entryPayloadLength());
      } catch (MalformedMessageException e) {
        LOG.warn("forward from={} malformed: {}", source, e.getMessage());
        batch.arrive(this);
        continue;
      }
      stats.forwardsExecuted.increment();
      executor.execute(
          request.db(),
          request.protocol(),
          request.argv(),
          reply ->
              queueReply(
                  link,
                  batch,
                  id,
                  startsWith(reply, MOVED_HERE)
                      ? ReplicationMessages.STATUS_NOT_PRIMARY
                      : ReplicationMessages.STATUS_OK,
                  reply));
    }
  }

  private void queueReply(Link link, ReceivedForwards batch, long id, int status, byte[] payload) {
    link.outbox.reply(id, status, payload);
    batch.arrive(this);
  }

  /** JGroups thread: replies to this node's forwards. */
  private void onForwardReplyBatch(ReplicationMessages.Decoder d) {
    while (d.nextEntry()) {
      onForwardReply(
          d.entryRequestId(),
          d.entryStatus(),
          d.buffer(),
          d.entryPayloadOffset(),
          d.entryPayloadLength());
    }
  }

  private void onForwardReply(
      long id, int status, DirectBuffer buffer, int payloadOffset, int payloadLength) {
    final PendingForward p = forwards.get(id);
    if (p == null) {
      return;
    }
    if (status == ReplicationMessages.STATUS_OK) {
      if (forwards.remove(id) != null) {
        final byte[] reply = new byte[payloadLength];
        buffer.getBytes(payloadOffset, reply);
        p.reply.accept(reply);
      }
      return;
    }
    // Not executed (not primary there, or another view): route again once the view settles.
    p.retryAtNs = System.nanoTime() + FORWARD_RETRY_NS;
  }

  /** A FORWARD_REQUEST from a node that does not batch: answered by a FORWARD_REPLY at once. */
  private void onForwardRequest(Address source, ReplicationMessages.Decoder d) {
    final Routing r = routing;
    final long id = d.requestId();
    if (r == null || r.owners.primaryIndex(d.slot()) != r.self) {
      sendForwardReply(source, id, ReplicationMessages.STATUS_NOT_PRIMARY, EMPTY);
      return;
    }
    final ForwardCodec.Request request;
    try {
      request = ForwardCodec.decode(d.buffer(), d.payloadOffset(), d.payloadLength());
    } catch (MalformedMessageException e) {
      LOG.warn("forward from={} malformed: {}", source, e.getMessage());
      return;
    }
    stats.forwardsExecuted.increment();
    executor.execute(
        request.db(),
        request.protocol(),
        request.argv(),
        reply -> sendForwardReply(source, id, ReplicationMessages.STATUS_OK, reply));
  }

  private void sendForwardReply(Address to, long id, int status, byte[] payload) {
    final Routing r = routing;
    final ViewStamp stamp = r == null ? NO_VIEW : r.stamp;
    final byte[] bytes = new byte[ReplicationMessages.REPLY_PAYLOAD_OFFSET + payload.length];
    ReplicationMessages.encodeForwardReply(
        new UnsafeBuffer(bytes),
        0,
        stamp,
        id,
        status,
        new UnsafeBuffer(payload),
        0,
        payload.length);
    send(to, bytes, true);
  }

  // ------------------------------------------------------------------ messages (JGroups threads)

  private void onMessage(Message message) {
    final Address source = message.src();
    if (source == null || source.equals(membership.localAddress())) {
      return;
    }
    final ReplicationMessages.Decoder d = decoders.get();
    final UnsafeBuffer buffer =
        new UnsafeBuffer(message.getArray(), message.getOffset(), message.getLength());
    try {
      switch (d.wrap(buffer, 0, message.getLength())) {
        case ReplicationMessages.EFFECT_BATCH -> onBatch(source, d);
        case ReplicationMessages.BATCH_ACK -> onAck(source, d.batchSeq());
        case ReplicationMessages.FORWARD_REQUEST -> onForwardRequest(source, d);
        case ReplicationMessages.FORWARD_REPLY ->
            onForwardReply(
                d.requestId(), d.status(), d.buffer(), d.payloadOffset(), d.payloadLength());
        case ReplicationMessages.FORWARD_BATCH -> onForwardBatch(source, d);
        case ReplicationMessages.FORWARD_REPLY_BATCH -> onForwardReplyBatch(d);
        case ReplicationMessages.STATE_CHUNK -> onStateChunk(source, d);
        case ReplicationMessages.STATE_DONE -> onStateDone(source, d);
        case ReplicationMessages.ASSIGNMENT -> onAssignment(source, d, false);
        case ReplicationMessages.TARGET -> onAssignment(source, d, true);
        case ReplicationMessages.HANDOFF -> onHandoff(source, d);
        case ReplicationMessages.LEAVING -> onLeaving(source);
        case ReplicationMessages.HELLO -> onHello(source, d);
        case ReplicationMessages.PUBLISH_BATCH -> onPublishBatch(d);
        default -> LOG.warn("from={} unexpected type={}", source, d.type());
      }
    } catch (MalformedMessageException e) {
      LOG.warn("from={} malformed message: {}", source, e.getMessage());
    }
  }

  /**
   * A member introduces itself after installing a view or assignment: batches it refused while it
   * was behind are sent again now rather than after the resend interval.
   */
  private void onHello(Address source, ReplicationMessages.Decoder d) {
    identities.put(source, new ClusterView.Member(d.helloNodeId(), d.helloEndpoint(), false));
    final Link link = links.get(source);
    if (link != null) {
      link.resendAll();
      wake();
    }
  }

  private void sendHello(ViewStamp stamp) {
    final ExpandableArrayBuffer hello = new ExpandableArrayBuffer(128);
    final int length = ReplicationMessages.encodeHello(hello, 0, stamp, myId, clientEndpoint);
    send(null, Arrays.copyOf(hello.byteArray(), length), false);
  }

  private void onBatch(Address source, ReplicationMessages.Decoder d) {
    final Routing r = routing;
    if (r == null || !d.isView(r.stamp) || !d.nextEntry()) {
      stats.batchesRejected.increment();
      return;
    }
    final Inbound in = inbound.computeIfAbsent(source, a -> new Inbound());
    final Store s = store;
    synchronized (in) {
      final int incarnation = ReplicationMessages.linkIncarnation(d.entrySlotSeq());
      if (incarnation != in.incarnation) {
        if (ReplicationMessages.linkCounter(d.entrySlotSeq()) != 1) {
          stats.batchesRejected.increment();
          return;
        }
        in.incarnation = incarnation;
        in.applied = 0;
      }
      boolean gap = false;
      do {
        final long counter = ReplicationMessages.linkCounter(d.entrySlotSeq());
        if (counter <= in.applied) {
          continue;
        }
        if (counter != in.applied + 1) {
          gap = true;
          break;
        }
        try {
          final int at = d.entryPayloadOffset();
          final int marker = d.entryPayloadLength() > 0 ? d.buffer().getByte(at) & 0xFF : -1;
          if (marker == SLOTS_RESET || marker == SLOTS_COMPLETE) {
            applySlotSet(s, d.buffer(), at, d.entryPayloadLength(), r.stamp.id());
          } else if (d.entryPayloadLength() >= RECORD_PREFIX_LENGTH && marker == RECORD_MARKER) {
            s.database(d.buffer().getByte(at + 1) & 0xFF)
                .importRecord(
                    d.buffer(),
                    at + RECORD_PREFIX_LENGTH,
                    d.entryPayloadLength() - RECORD_PREFIX_LENGTH);
            stats.recordsTransferred.increment();
          } else {
            s.applyEffect(d.buffer(), at, d.entryPayloadLength());
          }
        } catch (RuntimeException e) {
          LOG.error("from={} effect at counter={} failed", source, counter, e);
        }
        in.applied = counter;
        stats.effectsApplied.increment();
      } while (d.nextEntry());
      if (gap) {
        stats.batchesRejected.increment();
      } else {
        stats.batchesApplied.increment();
      }
      final byte[] ack = new byte[ReplicationMessages.ACK_LENGTH];
      ReplicationMessages.encodeBatchAck(
          new UnsafeBuffer(ack),
          0,
          r.stamp,
          ReplicationMessages.linkSeq(in.incarnation, in.applied));
      send(source, ack, true);
    }
  }

  private void onAck(Address source, long linkSeq) {
    final Link link = links.get(source);
    if (link == null || ReplicationMessages.linkIncarnation(linkSeq) != link.incarnation) {
      return;
    }
    link.acknowledged(this, ReplicationMessages.linkCounter(linkSeq));
    for (WaitRequest w : waits) {
      if (w.check(System.nanoTime(), false)) {
        waits.remove(w);
      }
    }
  }

  private void onStateChunk(Address source, ReplicationMessages.Decoder d) {
    // State travels as record entries of EFFECT_BATCH (ordered with live effects); unused.
    LOG.debug("from={} STATE_CHUNK ignored", source);
  }

  private void onStateDone(Address source, ReplicationMessages.Decoder d) {
    LOG.debug("from={} STATE_DONE ignored", source);
  }

  // ------------------------------------------------------------------ views and assignments

  private void onViewChange(Membership.ViewChange change) {
    final View view = change.current();
    final ViewStamp stamp = ViewStamp.of(view);
    final Membership m = membership;
    final Address self = m.localAddress();
    if (self == null || !running) {
      return; // a view delivered after the channel closed
    }
    final List<Address> members = view.getMembers();
    for (Address member : members) {
      if (!member.equals(self)) {
        links.computeIfAbsent(member, a -> new Link(a));
      }
    }
    Address assigner = view.getCoord();
    boolean stale = false;
    if (view instanceof MergeView merge) {
      final View winner = winningSubgroup(merge);
      assigner = firstMemberOf(members, winner, assigner);
      stale = !winner.containsMember(self);
    }
    synchronized (assignmentLock) {
      listenerView = view;
      leaving.retainAll(members);
      pendingHandoffs.removeIf(h -> h.stamp().id() < stamp.id());
      target = null;
      if (stale) {
        discardContents();
      }
      final SlotOwnership<Address> previous = assignment;
      if (self.equals(assigner)) {
        assign(view, stamp);
      } else if (pendingAssignment != null && pendingAssignment.stamp.equals(stamp)) {
        installReceived(view, pendingAssignment);
      } else if (previous != null) {
        install(view, stamp, interim(previous, members), false);
      } else {
        publish(null);
      }
    }
    // Departed members: stop waiting for them and forget their streams.
    for (Map.Entry<Address, Link> e : links.entrySet()) {
      if (!view.containsMember(e.getKey())) {
        links.remove(e.getKey());
        e.getValue().close(this, writable());
      }
    }
    inbound.keySet().removeIf(a -> !view.containsMember(a));
    identities.keySet().removeIf(a -> !view.containsMember(a));
    for (Link link : links.values()) {
      link.resendAll();
    }
    for (PendingForward p : forwards.values()) {
      if (p.target != null && !view.containsMember(p.target)) {
        primaryLeft(p);
      }
    }
    sendHello(stamp);
    dirty = true;
    LockSupport.unpark(sender);
  }

  /**
   * The subgroup of a merge whose contents survive: the largest; among equals, the one whose view
   * creator sorts first. Every member computes the same from the same MergeView.
   */
  static View winningSubgroup(MergeView merge) {
    View best = null;
    for (View group : merge.getSubgroups()) {
      if (best == null
          || group.size() > best.size()
          || (group.size() == best.size() && group.getCreator().compareTo(best.getCreator()) < 0)) {
        best = group;
      }
    }
    return best;
  }

  private static Address firstMemberOf(List<Address> members, View group, Address fallback) {
    for (Address member : members) {
      if (group.containsMember(member)) {
        return member;
      }
    }
    return fallback;
  }

  /**
   * This node was on the losing side of a merge: its copy may hold writes the winners never saw,
   * and misses theirs. It forgets everything and receives the winners' state like a new node.
   */
  private void discardContents() {
    publish(null);
    assignment = null;
    final Store s = store;
    long dropped = 0;
    if (s != null) {
      for (int db = 0; db < s.databaseCount(); db++) {
        dropped += s.database(db).dropSlots(slot -> true);
      }
    }
    LOG.warn("merged into a larger partition: dropped keys={}, receiving its state", dropped);
  }

  /**
   * Assigner (coordinator of the view, or of the winning side of a merge): computes the target
   * owner lists and the staged ones to install now, installs them and multicasts both.
   */
  private void assign(View view, ViewStamp stamp) {
    final List<Address> members = view.getMembers();
    final SlotOwnership<Address> previous = assignment;
    List<Address> active = new ArrayList<>(members);
    active.removeAll(leaving);
    if (active.isEmpty()) {
      active = members;
    }
    SlotOwnership<Address> goal =
        previous == null
            ? OwnerAssignment.fresh(active, context.owners())
            : OwnerAssignment.next(previous, active, context.owners());
    if (active.size() != members.size()) {
      goal = goal.over(members);
    }
    final SlotOwnership<Address> now = previous == null ? goal : staged(previous, goal, members);
    target = null; // a re-assignment in the same view: the previous target no longer holds
    install(view, stamp, now, true);
    applyTarget(stamp, goal);
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    int length = ReplicationMessages.encodeAssignment(buffer, 0, stamp, now);
    send(null, Arrays.copyOf(buffer.byteArray(), length), false);
    length = ReplicationMessages.encodeTarget(buffer, 0, stamp, goal);
    send(null, Arrays.copyOf(buffer.byteArray(), length), false);
  }

  /**
   * The owner lists to install while moving from {@code previous} to {@code goal}. A slot whose
   * lists differ keeps, while its old primary is still a member, the old primary first, then its
   * previous owners that are still members (their copies are complete: if the old primary fails
   * before the hand-off, one of them is promoted), then as many of the goal's owners as the list
   * needs. The goal's owners left out receive the slot outside the lists ({@link #incoming}) until
   * its primary's HANDOFF gives it the goal's list. A slot whose old primary is gone takes the
   * goal's list at once.
   */
  static SlotOwnership<Address> staged(
      SlotOwnership<Address> previous, SlotOwnership<Address> goal, List<Address> members) {
    final int k = goal.ownersPerSlot();
    final Map<Address, Integer> indexOf = new java.util.HashMap<>(members.size() * 2);
    for (int i = 0; i < members.size(); i++) {
      indexOf.put(members.get(i), i);
    }
    final short[] lists = new short[SlotHash.SLOT_COUNT * k];
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      final int old = indexOf.getOrDefault(previous.primary(slot), -1);
      final int base = slot * k;
      if (old < 0) {
        for (int r = 0; r < k; r++) {
          lists[base + r] = (short) goal.ownerIndex(slot, r);
        }
        continue;
      }
      lists[base] = (short) old;
      int r = 1;
      for (int rank = 1; rank < previous.ownersPerSlot() && r < k; rank++) {
        r = addOwner(lists, base, r, indexOf.getOrDefault(previous.owner(slot, rank), -1));
      }
      for (int rank = 0; rank < k && r < k; rank++) {
        r = addOwner(lists, base, r, goal.ownerIndex(slot, rank));
      }
    }
    return SlotOwnership.of(members, k, lists);
  }

  /** Appends {@code owner} at {@code lists[base + r]} unless it is -1 or listed already. */
  private static int addOwner(short[] lists, int base, int r, int owner) {
    if (owner < 0) {
      return r;
    }
    for (int i = 0; i < r; i++) {
      if (lists[base + i] == owner) {
        return r;
      }
    }
    lists[base + r] = (short) owner;
    return r + 1;
  }

  /**
   * The incoming owners of every slot: the members {@code goal} lists for it that {@code owners}
   * does not, in goal order; {@code k = goal.ownersPerSlot()} entries per slot, -1 after the last.
   * Null when no slot has one.
   */
  static short[] incoming(SlotOwnership<Address> owners, SlotOwnership<Address> goal) {
    final int k = goal.ownersPerSlot();
    short[] out = null;
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      int i = 0;
      for (int rank = 0; rank < k; rank++) {
        final int member = goal.ownerIndex(slot, rank);
        if (owners.rankOf(slot, member) < 0) {
          if (out == null) {
            out = new short[SlotHash.SLOT_COUNT * k];
            Arrays.fill(out, (short) -1);
          }
          out[slot * k + i++] = (short) member;
        }
      }
    }
    return out;
  }

  /**
   * This node's lists until the assigner's arrive: previous owners failed over to the survivors,
   * live primaries kept; joiners own nothing until the assigner says.
   */
  private SlotOwnership<Address> interim(SlotOwnership<Address> previous, List<Address> members) {
    final List<Address> survivors = new ArrayList<>();
    for (Address member : members) {
      if (previous.indexOf(member) >= 0) {
        survivors.add(member);
      }
    }
    if (survivors.equals(previous.members())) {
      return previous.over(members);
    }
    // A primary still alive keeps its slots (as the assigner's staged lists will): balancing moves
    // of the new target would make this node a primary the assigner does not agree with, and the
    // writes it took then would be reset by the real primary's stream.
    return staged(previous, OwnerAssignment.next(previous, survivors, context.owners()), survivors)
        .over(members);
  }

  private void onAssignment(Address source, ReplicationMessages.Decoder d, boolean isTarget) {
    final ReceivedAssignment received =
        new ReceivedAssignment(
            new ViewStamp(d.viewId(), d.viewCreatorHi(), d.viewCreatorLo()),
            d.assignmentMemberCount(),
            d.assignmentOwnersPerSlot(),
            d.assignmentOwners());
    synchronized (assignmentLock) {
      final boolean current =
          listenerView != null && ViewStamp.of(listenerView).equals(received.stamp);
      if (!isTarget) {
        if (current) {
          final boolean fresh = routing == null;
          installReceived(listenerView, received);
          if (fresh) {
            sendHello(received.stamp);
          }
        } else {
          pendingAssignment = received;
        }
      } else if (current && routing != null && routing.stamp.equals(received.stamp)) {
        if (received.memberCount == listenerView.size()) {
          applyTarget(
              received.stamp,
              SlotOwnership.of(listenerView.getMembers(), received.ownersPerSlot, received.owners));
        }
      } else {
        pendingTarget = received;
      }
    }
  }

  private void installReceived(View view, ReceivedAssignment received) {
    if (received.memberCount != view.size()) {
      LOG.warn("assignment members={} view={} ignored", received.memberCount, view.getViewId());
      return;
    }
    pendingAssignment = null;
    target = null;
    install(
        view,
        received.stamp,
        SlotOwnership.of(view.getMembers(), received.ownersPerSlot, received.owners),
        true);
    final ReceivedAssignment t = pendingTarget;
    if (t != null && t.stamp.equals(received.stamp) && t.memberCount == view.size()) {
      pendingTarget = null;
      applyTarget(t.stamp, SlotOwnership.of(view.getMembers(), t.ownersPerSlot, t.owners));
    }
  }

  /**
   * Records the lists the cluster moves towards, applies handoffs that arrived before them, and
   * starts this node's own handoffs: each slot it is primary of whose list is not the target's,
   * grouped by target primary (itself when only the backups change).
   */
  private void applyTarget(ViewStamp stamp, SlotOwnership<Address> goal) {
    target = goal;
    for (java.util.Iterator<ReceivedHandoff> it = pendingHandoffs.iterator(); it.hasNext(); ) {
      final ReceivedHandoff h = it.next();
      if (h.stamp().equals(stamp)) {
        it.remove();
        applyHandoff(h.source(), h.slots());
      }
    }
    Routing r = routing;
    if (r.incoming == null && incoming(r.owners, goal) != null) {
      // The same lists, now with their incoming owners: this node streams to those of its slots.
      install(r.view, r.stamp, r.owners, r.confirmed);
      r = routing;
    }
    final Map<Integer, org.agrona.collections.IntArrayList> byTarget = new java.util.HashMap<>();
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      final int to = goal.primaryIndex(slot);
      if (r.owners.primaryIndex(slot) == r.self && !r.owners.sameList(slot, goal)) {
        byTarget.computeIfAbsent(to, i -> new org.agrona.collections.IntArrayList()).addInt(slot);
      }
    }
    for (Map.Entry<Integer, org.agrona.collections.IntArrayList> e : byTarget.entrySet()) {
      final Address to = r.members.get(e.getKey());
      final int[] slots = e.getValue().toIntArray();
      handoffsPending.incrementAndGet();
      try {
        transfers.execute(() -> handOff(stamp, goal, to, slots));
      } catch (java.util.concurrent.RejectedExecutionException ex) {
        handoffsPending.decrementAndGet();
      }
    }
    settle();
  }

  /**
   * Transfer thread: gives {@code slots} their target lists, and to their target primary {@code
   * to}. First waits until their owners (incoming ones included) acknowledged what their links
   * carry already (the slots' streamed state, so the pause below is short). When {@code to} is this
   * node only the backups change: the lists are installed and announced then; until then the
   * previous backups, whose copies are complete, stay listed. Otherwise this node stops acting as
   * their primary (writes for them now wait, go to {@code to} or get -ASK), waits for the commands
   * begun before that and until the owners acknowledged everything sent to them, then tells every
   * member. Gives up only when the view changes or the node stops: the next assignment decides
   * afresh.
   */
  private void handOff(ViewStamp stamp, SlotOwnership<Address> goal, Address to, int[] slots) {
    final boolean backupsOnly = to.equals(membership.localAddress());
    final long[] moving = SlotSet.empty();
    try {
      if (!awaitOwnersAcked(goal, slots, stamp, to)) {
        return;
      }
      final int[] kept;
      synchronized (assignmentLock) {
        kept = stillHeld(stamp, goal, slots, to);
        if (kept.length == 0) {
          return;
        }
        if (!backupsOnly) {
          for (int slot : kept) {
            SlotSet.add(moving, slot);
          }
          migrating.setAll(moving, true);
        }
        install(routing.view, stamp, withGoalLists(routing.owners, goal, kept), true);
      }
      if (!backupsOnly) {
        if (!awaitRetired(System.nanoTime() + HANDOFF_WARN_NS)) {
          LOG.warn(
              "handoff of slots={} to={} goes on with commands still in flight", kept.length, to);
        }
        if (!awaitOwnersAcked(goal, kept, stamp, to)) {
          return;
        }
      }
      sendHandoff(stamp, kept);
      if (backupsOnly) {
        LOG.info("new backups of slots={} complete", kept.length);
      } else {
        stats.handoffs.increment();
        LOG.info("handed off slots={} to={}", kept.length, to);
      }
    } catch (RuntimeException e) {
      LOG.error("handoff to={} failed", to, e);
    } finally {
      migrating.setAll(moving, false);
      handoffsPending.decrementAndGet();
      synchronized (assignmentLock) {
        settle();
      }
    }
  }

  /**
   * Under assignmentLock: those of {@code slots} this node is still primary of whose target primary
   * is {@code to}; none when the view or the target changed meanwhile.
   */
  private int[] stillHeld(ViewStamp stamp, SlotOwnership<Address> goal, int[] slots, Address to) {
    final Routing r = routing;
    if (r == null || !r.stamp.equals(stamp) || target != goal) {
      return new int[0];
    }
    final int toIndex = r.members.indexOf(to);
    final org.agrona.collections.IntArrayList keep = new org.agrona.collections.IntArrayList();
    for (int slot : slots) {
      if (r.owners.primaryIndex(slot) == r.self && goal.primaryIndex(slot) == toIndex) {
        keep.addInt(slot);
      }
    }
    return keep.toIntArray();
  }

  /** Multicasts HANDOFF: {@code slots} take their target lists on every member. */
  private void sendHandoff(ViewStamp stamp, int[] slots) {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 + 2 * slots.length);
    final int length = ReplicationMessages.encodeHandoff(buffer, 0, stamp, slots, slots.length);
    send(null, Arrays.copyOf(buffer.byteArray(), length), false);
  }

  /**
   * Transfer thread: waits until every other owner of {@code slots} (in the goal or the current
   * lists) acknowledged what its link carries now. After the HANDOFF the new primary's effects
   * reach those owners on its own links, which are not ordered with this node's: so nothing this
   * node sent them for the slots (streamed records, the last effects) may still be on its way.
   */
  private boolean awaitOwnersAcked(
      SlotOwnership<Address> goal, int[] slots, ViewStamp stamp, Address to) {
    final Routing r = routing;
    final java.util.Set<Address> owners = new java.util.HashSet<>();
    for (int slot : slots) {
      for (int rank = 0; rank < goal.ownersPerSlot(); rank++) {
        owners.add(goal.owner(slot, rank));
      }
      for (int rank = 0; r != null && rank < r.owners.ownersPerSlot(); rank++) {
        owners.add(r.owners.owner(slot, rank));
      }
    }
    final long[] upTo = new long[owners.size()];
    final Link[] waitFor = new Link[owners.size()];
    int n = 0;
    for (Address owner : owners) {
      final Link link = links.get(owner);
      if (link != null) {
        waitFor[n] = link;
        upTo[n++] = link.lastCounter();
      }
    }
    for (int i = 0; i < n; i++) {
      if (!awaitAcked(waitFor[i], upTo[i], stamp, slots.length, to)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Transfer thread: waits until {@code link}'s destination acknowledged entry {@code upTo}; false
   * when the view changed, the link closed or the node stopped first. Warns every {@link
   * #HANDOFF_WARN_NS} meanwhile.
   */
  private boolean awaitAcked(Link link, long upTo, ViewStamp stamp, int slots, Address to) {
    wake();
    long warnAtNs = System.nanoTime() + HANDOFF_WARN_NS;
    while (!link.ackedAtLeast(upTo)) {
      final Routing r = routing;
      if (link.isClosed() || r == null || !r.stamp.equals(stamp) || !running) {
        LOG.info("handoff of slots={} to={} abandoned: the view changed", slots, to);
        return false;
      }
      if (System.nanoTime() - warnAtNs > 0) {
        LOG.warn("handoff of slots={} to={} still waits for its acknowledgement", slots, to);
        warnAtNs += HANDOFF_WARN_NS;
      }
      LockSupport.parkNanos(HANDOFF_POLL_NS);
    }
    return true;
  }

  /** JGroups thread: {@code source} handed off slots; their primaries become the target's. */
  private void onHandoff(Address source, ReplicationMessages.Decoder d) {
    final ViewStamp stamp = new ViewStamp(d.viewId(), d.viewCreatorHi(), d.viewCreatorLo());
    final int[] slots = new int[d.handoffCount()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = d.handoffSlot(i);
    }
    synchronized (assignmentLock) {
      final Routing r = routing;
      if (r != null && r.stamp.equals(stamp) && target != null) {
        applyHandoff(source, slots);
        settle();
      } else if (listenerView == null || stamp.id() >= listenerView.getViewId().getId()) {
        // Before this view's target (or the view itself) arrived: apply it with the target.
        pendingHandoffs.add(new ReceivedHandoff(stamp, source, slots));
      }
    }
  }

  /** Under assignmentLock: the slots {@code source} is primary of take their target lists. */
  private void applyHandoff(Address source, int[] slots) {
    final Routing r = routing;
    final int from = r.members.indexOf(source);
    if (from < 0) {
      return;
    }
    final org.agrona.collections.IntArrayList moved = new org.agrona.collections.IntArrayList();
    for (int slot : slots) {
      if (r.owners.primaryIndex(slot) == from) {
        moved.addInt(slot);
      }
    }
    if (!moved.isEmpty()) {
      install(r.view, r.stamp, withGoalLists(r.owners, target, moved.toIntArray()), true);
    }
  }

  /** {@code owners} with the lists of {@code slots} replaced by {@code goal}'s. */
  static SlotOwnership<Address> withGoalLists(
      SlotOwnership<Address> owners, SlotOwnership<Address> goal, int[] slots) {
    final int k = goal.ownersPerSlot();
    final short[] lists = new short[SlotHash.SLOT_COUNT * k];
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      for (int rank = 0; rank < k; rank++) {
        lists[slot * k + rank] =
            (short)
                (rank < owners.ownersPerSlot()
                    ? owners.ownerIndex(slot, rank)
                    : goal.ownerIndex(slot, rank));
      }
    }
    for (int slot : slots) {
      for (int rank = 0; rank < k; rank++) {
        lists[slot * k + rank] = (short) goal.ownerIndex(slot, rank);
      }
    }
    return SlotOwnership.of(owners.members(), k, lists);
  }

  /**
   * Under assignmentLock: once every slot has its target lists and no handoff of this node is
   * pending, drops what this node no longer owns, and lets a deferred LEAVING be served.
   */
  private void settle() {
    final Routing r = routing;
    final SlotOwnership<Address> goal = target;
    if (r == null || goal == null || handoffsPending.get() > 0 || !r.owners.sameLists(goal)) {
      return;
    }
    final View view = listenerView;
    if (!leaving.isEmpty()
        && view != null
        && ViewStamp.of(view).equals(r.stamp)
        && membership.localAddress().equals(view.getCoord())
        && leavingServed.addAll(leaving)) {
      assign(view, r.stamp);
      return;
    }
    final Store s = store;
    if (s != null) {
      final int[] resetsNow = new int[SlotHash.SLOT_COUNT];
      for (int slot = 0; slot < resetsNow.length; slot++) {
        resetsNow[slot] = resets.get(slot);
      }
      try {
        transfers.execute(() -> dropUnowned(s, resetsNow));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  /**
   * Transfer thread: frees the keys of slots this node does not own (now), except slots whose state
   * started arriving since {@code resetsThen} was taken: a primary that installed newer lists than
   * this node's may already be streaming them here.
   */
  private void dropUnowned(Store s, int[] resetsThen) {
    long dropped = 0;
    for (int db = 0; db < s.databaseCount(); db++) {
      dropped +=
          s.database(db)
              .dropSlots(
                  slot ->
                      routing != null && !isOwner(slot) && resets.get(slot) == resetsThen[slot]);
    }
    if (dropped > 0) {
      LOG.info("dropped keys={} of slots this node no longer owns", dropped);
    }
  }

  /**
   * {@code source} wants to leave (JGroups thread, or this node's own SIGTERM): every member notes
   * it; the coordinator moves its slots away.
   */
  private void onLeaving(Address source) {
    synchronized (assignmentLock) {
      final View view = listenerView;
      final Routing r = routing;
      if (view == null || r == null || !view.containsMember(source)) {
        return;
      }
      leaving.add(source);
      if (!membership.localAddress().equals(view.getCoord())
          || leaving.containsAll(view.getMembers())) {
        return; // not the assigner, or nobody would remain to take the slots
      }
      leavingServed.retainAll(view.getMembers());
      if (target == null || (handoffsPending.get() == 0 && r.owners.sameLists(target))) {
        leavingServed.addAll(leaving);
        assign(view, r.stamp);
      }
      // else: settle() serves it once the rebalance in progress is done.
    }
  }

  /** Whether every member of the current view announced that it is leaving. */
  private boolean everyoneLeaving() {
    synchronized (assignmentLock) {
      final View view = listenerView;
      return view != null && leaving.containsAll(view.getMembers());
    }
  }

  /**
   * Graceful leave: asks the assigner to move this node's slots to the others and waits, up to
   * {@code timeoutMs}, until this node is primary of nothing. Call before {@link #close}.
   */
  public boolean handOffAndLeave(long timeoutMs) {
    final Routing start = routing;
    final Membership m = membership;
    if (start == null || m == null || start.members.size() < 2) {
      return true;
    }
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length = ReplicationMessages.encodeLeaving(buffer, 0, start.stamp);
    final Address coordinator = start.view.getCoord();
    send(null, Arrays.copyOf(buffer.byteArray(), length), false);
    onLeaving(m.localAddress());
    final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() - deadlineNs < 0) {
      if (everyoneLeaving()) {
        LOG.info("every member is leaving: no one to hand slots off to");
        return false;
      }
      final Routing r = routing;
      if (r != null && r.owners.primaryCounts()[r.self] == 0 && handoffsPending.get() == 0) {
        // Everything handed off. Members that have not applied a HANDOFF yet still forward here;
        // answer them (NOT_PRIMARY: they send again to the new primary) until they stop.
        awaitRetired(deadlineNs);
        while (System.nanoTime() - lastForwardReceivedNs < LEAVE_QUIET_NS
            && System.nanoTime() - deadlineNs < 0) {
          LockSupport.parkNanos(HANDOFF_POLL_NS);
        }
        shipNow();
        LOG.info("handed off every slot; leaving");
        return true;
      }
      if (r != null && r.view != start.view && !r.view.containsMember(coordinator)) {
        // The assigner left meanwhile: ask its successor.
        return handOffAndLeave(TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()));
      }
      LockSupport.parkNanos(HANDOFF_POLL_NS);
    }
    LOG.warn("slots not all handed off within ms={}; leaving anyway", timeoutMs);
    return false;
  }

  private void install(
      View view, ViewStamp stamp, SlotOwnership<Address> owners, boolean confirmed) {
    final List<Address> members = view.getMembers();
    final Address self = membership.localAddress();
    final Link[] memberLinks = new Link[members.size()];
    for (int i = 0; i < members.size(); i++) {
      if (!members.get(i).equals(self)) {
        memberLinks[i] = links.computeIfAbsent(members.get(i), a -> new Link(a));
      }
    }
    final SlotOwnership<Address> before = assignment;
    final int selfIndex = members.indexOf(self);
    final SlotOwnership<Address> goal = target;
    final Routing previous = routing;
    // Incoming owners of the previous routing already received (or are receiving) their stream.
    final short[] wasIncoming =
        previous != null && previous.stamp.equals(stamp) ? previous.incoming : null;
    final Routing next =
        new Routing(
            view,
            stamp,
            members,
            selfIndex,
            owners,
            memberLinks,
            confirmed,
            goal == null ? null : incoming(owners, goal));
    assignment = owners;
    markIncomplete(before, next);
    publish(next);
    if (selfIndex >= 0) {
      scheduleTransfers(before, next, wasIncoming);
    }
    stats.assignmentsInstalled.increment();
    LOG.info(
        "view={} assignment confirmed={} primaries={}",
        stamp.id(),
        confirmed,
        selfIndex < 0 ? 0 : owners.primaryCounts()[selfIndex]);
    if (confirmed) {
      assigned.countDown();
    }
  }

  /** Makes {@code next} the routing of new commands; the one it replaces is retired. */
  private void publish(Routing next) {
    final Routing old = routing;
    routing = next;
    retired.removeIf(r -> r.inFlight.get() == 0);
    if (old != null) {
      retired.add(old);
    }
  }

  /** Waits for the commands begun under retired routings; false when the deadline came first. */
  private boolean awaitRetired(long deadlineNs) {
    for (Routing r : retired) {
      while (r.inFlight.get() > 0) {
        if (System.nanoTime() - deadlineNs > 0) {
          return false;
        }
        LockSupport.parkNanos(10_000);
      }
    }
    return true;
  }

  /**
   * Slots this node starts owning as a backup in {@code next} have no complete copy until their
   * state arrives, unless all of it arrived in this view already and effects followed since (as an
   * incoming owner). A slot the target neither lists this node for nor sends it receives no effects
   * here any more: a copy completed earlier goes stale.
   */
  private void markIncomplete(SlotOwnership<Address> before, Routing next) {
    final int self = next.self;
    if (self < 0) {
      return;
    }
    final SlotOwnership<Address> after = next.owners;
    final long viewId = next.stamp.id();
    final boolean targetKnown = target != null;
    final int selfBefore = before == null ? -1 : before.indexOf(after.members().get(self));
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      final int rank = after.rankOf(slot, self);
      if (rank > 0
          && (selfBefore < 0 || !before.isOwner(slot, selfBefore))
          && completedInView.get(slot) != viewId) {
        incomplete.set(slot, true);
      } else if (rank < 0 && targetKnown && !next.isIncoming(slot, self)) {
        completedInView.set(slot, -1);
      }
    }
  }

  /**
   * Streams each slot this node is primary of in {@code next} to its owners that did not own it in
   * {@code before} (all other owners when this node had no assignment yet: its copy is then the
   * only one), and to its incoming owners; skips members {@code wasIncoming} names for the slot
   * (same view): they received it already.
   */
  private void scheduleTransfers(SlotOwnership<Address> before, Routing next, short[] wasIncoming) {
    final SlotOwnership<Address> after = next.owners;
    final long[][] perOwner = new long[after.memberCount()][];
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      if (after.primaryIndex(slot) != next.self) {
        continue;
      }
      for (int rank = 1; rank < after.ownersPerSlot(); rank++) {
        final int owner = after.ownerIndex(slot, rank);
        final int ownerBefore = before == null ? -1 : before.indexOf(after.members().get(owner));
        if ((ownerBefore < 0 || !before.isOwner(slot, ownerBefore))
            && !Routing.listed(wasIncoming, after.ownersPerSlot(), slot, owner)) {
          addSlot(perOwner, owner, slot);
        }
      }
      for (int i = 0; i < after.ownersPerSlot(); i++) {
        final int owner = next.incoming(slot, i);
        if (owner < 0) {
          break;
        }
        if (!Routing.listed(wasIncoming, after.ownersPerSlot(), slot, owner)) {
          addSlot(perOwner, owner, slot);
        }
      }
    }
    streamTo(next.links, perOwner);
  }

  private static void addSlot(long[][] perOwner, int owner, int slot) {
    if (perOwner[owner] == null) {
      perOwner[owner] = SlotSet.empty();
    }
    SlotSet.add(perOwner[owner], slot);
  }

  /**
   * Queues on the transfer thread, for each member {@code i} with {@code slots[i]} set, a stream of
   * those slots over {@code links[i]}. Each first waits for the commands begun under earlier
   * routings: their effects do not go to the new receiver, so they must be in the records.
   */
  private void streamTo(Link[] links, long[][] slots) {
    final Store s = store;
    if (s == null) {
      return;
    }
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] == null) {
        continue;
      }
      final Link link = links[i];
      final long[] set = slots[i];
      transfersPending.incrementAndGet();
      try {
        transfers.execute(
            () -> {
              try {
                if (!awaitRetired(System.nanoTime() + HANDOFF_WARN_NS)) {
                  LOG.warn("stream to={} starts with commands still in flight", link.destination);
                }
                transfer(s, link, set);
              } finally {
                transfersPending.decrementAndGet();
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        transfersPending.decrementAndGet();
      }
    }
  }

  /**
   * Transfer thread: appends to {@code link} a SLOTS_RESET of {@code slots}, every record of those
   * of them this node is primary of (each shard's records under its lock, so live effects stay in
   * order around them), then a SLOTS_COMPLETE.
   */
  private void transfer(Store s, Link link, long[] slots) {
    try {
      final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(SLOT_SET_ENTRY_LENGTH);
      appendSlotSet(link, entry, SLOTS_RESET, slots);
      long records = 0;
      for (int db = 0; db < s.databaseCount(); db++) {
        final int dbIndex = db;
        records +=
            s.database(db)
                .exportSlots(
                    slot -> SlotSet.contains(slots, slot),
                    (buffer, offset, length) -> {
                      entry.putByte(0, (byte) RECORD_MARKER);
                      entry.putByte(1, (byte) dbIndex);
                      entry.putBytes(RECORD_PREFIX_LENGTH, buffer, offset, length);
                      final int slot =
                          buffer.getShort(offset + RecordDescriptor.SLOT_OFFSET) & 0xFFFF;
                      link.append(slot, entry, 0, RECORD_PREFIX_LENGTH + length);
                      dirty = true;
                    });
      }
      appendSlotSet(link, entry, SLOTS_COMPLETE, slots);
      stats.stateTransfersSent.increment();
      LOG.info(
          "sent slots={} records={} to={}", SlotSet.cardinality(slots), records, link.destination);
    } catch (RuntimeException e) {
      LOG.error("transfer to={} failed", link.destination, e);
    }
  }

  private void appendSlotSet(Link link, ExpandableArrayBuffer entry, int marker, long[] slots) {
    entry.putByte(0, (byte) marker);
    for (int i = 0; i < slots.length; i++) {
      entry.putLong(1 + 8 * i, slots[i], LE);
    }
    link.append(0, entry, 0, SLOT_SET_ENTRY_LENGTH);
    dirty = true;
  }

  /**
   * JGroups thread, applying a link in order: a SLOTS_RESET or SLOTS_COMPLETE entry of a batch of
   * view {@code viewId}.
   */
  private void applySlotSet(Store s, DirectBuffer buffer, int at, int length, long viewId) {
    if (length != SLOT_SET_ENTRY_LENGTH) {
      throw new IllegalArgumentException("slot set entry length=" + length);
    }
    final long[] slots = SlotSet.empty();
    for (int i = 0; i < slots.length; i++) {
      slots[i] = buffer.getLong(at + 1 + 8 * i, LE);
    }
    if ((buffer.getByte(at) & 0xFF) == SLOTS_RESET) {
      incomplete.setAll(slots, true);
      for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
        if (SlotSet.contains(slots, slot)) {
          completedInView.set(slot, -1);
          resets.incrementAndGet(slot);
        }
      }
      for (int db = 0; db < s.databaseCount(); db++) {
        s.database(db).dropSlots(slot -> SlotSet.contains(slots, slot));
      }
    } else {
      incomplete.setAll(slots, false);
      for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
        if (SlotSet.contains(slots, slot)) {
          completedInView.set(slot, viewId);
        }
      }
    }
  }

  private ClusterView.Member member(Routing r, int index) {
    if (index == r.self) {
      return new ClusterView.Member(myId, clientEndpoint, true);
    }
    final Address address = r.members.get(index);
    final ClusterView.Member known = identities.get(address);
    if (known != null) {
      return known;
    }
    // Not introduced yet: a stable placeholder derived from the address.
    final String hex = String.format("%040x", Math.abs((long) address.hashCode()));
    return new ClusterView.Member(hex.substring(hex.length() - 40), "", false);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] resp(String error) {
    return (error + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  // ------------------------------------------------------------------ state

  /** Everything the hot path reads, for one view and assignment. Immutable. */
  private record Routing(
      View view,
      ViewStamp stamp,
      List<Address> members,
      int self,
      SlotOwnership<Address> owners,
      Link[] links,
      boolean confirmed,
      short[] incoming,
      java.util.concurrent.atomic.AtomicInteger inFlight) {
    Routing(
        View view,
        ViewStamp stamp,
        List<Address> members,
        int self,
        SlotOwnership<Address> owners,
        Link[] links,
        boolean confirmed,
        short[] incoming) {
      this(
          view,
          stamp,
          members,
          self,
          owners,
          links,
          confirmed,
          incoming,
          new java.util.concurrent.atomic.AtomicInteger());
    }

    /**
     * The {@code i}-th incoming owner of {@code slot} (a target owner not in its list yet, which
     * its primary streams the slot to and sends its effects), or -1 past the last.
     */
    int incoming(int slot, int i) {
      final int k = owners.ownersPerSlot();
      return incoming == null || i >= k ? -1 : incoming[slot * k + i];
    }

    boolean isIncoming(int slot, int member) {
      return listed(incoming, owners.ownersPerSlot(), slot, member);
    }

    /** Whether {@code incoming} (laid out as {@link #incoming}) names {@code member} for slot. */
    static boolean listed(short[] incoming, int k, int slot, int member) {
      if (incoming == null) {
        return false;
      }
      for (int i = slot * k, end = i + k; i < end && incoming[i] >= 0; i++) {
        if (incoming[i] == member) {
          return true;
        }
      }
      return false;
    }
  }

  private record ReceivedAssignment(
      ViewStamp stamp, int memberCount, int ownersPerSlot, short[] owners) {}

  private record ReceivedHandoff(ViewStamp stamp, Address source, int[] slots) {}

  /** Per-thread effect bookkeeping; owned by its thread. */
  private static final class Collector {
    boolean active;
    Routing routing;
    int count;
    Link[] links = new Link[4];
    long[] seqs = new long[4];

    void record(Link link, long seq) {
      for (int i = 0; i < count; i++) {
        if (links[i] == link) {
          seqs[i] = seq;
          return;
        }
      }
      if (count == links.length) {
        links = Arrays.copyOf(links, count * 2);
        seqs = Arrays.copyOf(seqs, count * 2);
      }
      links[count] = link;
      seqs[count] = seq;
      count++;
    }
  }

  /** Backup side of one link: what was applied from one source. Guarded by itself. */
  private static final class Inbound {
    int incarnation = -1;
    long applied;
  }

  /** A write waiting for its backups. */
  static final class Ticket {
    final Link[] links;
    final long[] seqs;
    final java.util.concurrent.atomic.AtomicInteger remaining =
        new java.util.concurrent.atomic.AtomicInteger();
    volatile Runnable done;
    volatile Consumer<byte[]> failed;
    volatile boolean lost;

    Ticket(Link[] links, long[] seqs) {
      this.links = links;
      this.seqs = seqs;
    }

    void arrive(ClusterNode node) {
      if (remaining.decrementAndGet() == 0) {
        if (lost || !node.writable()) {
          failed.accept(CLUSTER_DOWN);
        } else {
          done.run();
        }
      }
    }
  }

  private record Waiter(Ticket ticket, long seq) {}

  /** A WAIT command in progress. */
  private static final class WaitRequest {
    final Link[] links;
    final long[] seqs;
    final int numReplicas;
    final long deadlineNs;
    final LongConsumer reply;
    boolean replied;

    WaitRequest(Link[] links, long[] seqs, int numReplicas, long deadlineNs, LongConsumer reply) {
      this.links = links;
      this.seqs = seqs;
      this.numReplicas = numReplicas;
      this.deadlineNs = deadlineNs;
      this.reply = reply;
    }

    /** Replies if enough acknowledged or time is up; returns whether it has replied. */
    synchronized boolean check(long nowNs, boolean force) {
      if (replied) {
        return true;
      }
      int count = 0;
      for (int i = 0; i < links.length; i++) {
        if (links[i].ackedAtLeast(seqs[i])) {
          count++;
        }
      }
      if (count >= numReplicas || force || nowNs - deadlineNs >= 0) {
        replied = true;
        reply.accept(count);
        return true;
      }
      return false;
    }
  }

  /** A command sent to another node's primary, waiting for its reply. */
  private static final class PendingForward {
    final long id;
    final int slot;
    final int db;
    final int protocol;
    final byte[][] argv;
    final boolean readOnly;
    final Consumer<byte[]> reply;
    final long deadlineNs;
    volatile Address target;
    volatile long retryAtNs;

    PendingForward(
        long id,
        int slot,
        int db,
        int protocol,
        byte[][] argv,
        boolean readOnly,
        Consumer<byte[]> reply,
        long deadlineNs) {
      this.id = id;
      this.slot = slot;
      this.db = db;
      this.protocol = protocol;
      this.argv = argv;
      this.readOnly = readOnly;
      this.reply = reply;
      this.deadlineNs = deadlineNs;
    }
  }

  /**
   * The commands of one received FORWARD_BATCH not answered yet; the last answer wakes the sender.
   */
  private static final class ReceivedForwards {
    private final java.util.concurrent.atomic.AtomicInteger remaining;

    ReceivedForwards(int count) {
      remaining = new java.util.concurrent.atomic.AtomicInteger(count);
    }

    void arrive(ClusterNode node) {
      if (remaining.decrementAndGet() == 0) {
        node.wake();
      }
    }
  }

  /**
   * Forwarded commands to one member and replies to the commands it forwarded here, many per
   * message. Request, executor and JGroups threads append under this object's lock; only the sender
   * thread ships.
   */
  static final class Outbox {
    private final ReplicationMessages.ForwardBatchEncoder requests =
        new ReplicationMessages.ForwardBatchEncoder();
    private final ReplicationMessages.ForwardBatchEncoder replies =
        new ReplicationMessages.ForwardBatchEncoder();
    private final java.util.ArrayDeque<byte[]> sealedRequests = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<byte[]> sealedReplies = new java.util.ArrayDeque<>();
    private ExpandableArrayBuffer requestBuffer = new ExpandableArrayBuffer(INITIAL_OUTBOX_BYTES);
    private ExpandableArrayBuffer replyBuffer = new ExpandableArrayBuffer(INITIAL_OUTBOX_BYTES);
    private boolean requestsOpen;
    private boolean repliesOpen;
    private boolean closed;

    /** Queues a forwarded command; false when the link is closed. */
    synchronized boolean request(PendingForward p) {
      if (closed) {
        return false;
      }
      if (!requestsOpen) {
        requests.wrap(requestBuffer, 0, ReplicationMessages.FORWARD_BATCH, NO_VIEW);
        requestsOpen = true;
      }
      requests.request(p.id, p.slot, p.db, p.protocol, p.argv);
      if (requests.length() >= MAX_BATCH_BYTES) {
        sealRequests();
      }
      return true;
    }

    /** Queues a reply (dropped when the link is closed: the forwarder left). */
    synchronized void reply(long id, int status, byte[] payload) {
      if (closed) {
        return;
      }
      if (!repliesOpen) {
        replies.wrap(replyBuffer, 0, ReplicationMessages.FORWARD_REPLY_BATCH, NO_VIEW);
        repliesOpen = true;
      }
      replies.reply(id, status, new UnsafeBuffer(payload), 0, payload.length);
      if (replies.length() >= MAX_BATCH_BYTES) {
        sealReplies();
      }
    }

    private void sealRequests() {
      if (requestsOpen) {
        sealedRequests.addLast(Arrays.copyOf(requestBuffer.byteArray(), requests.finish()));
        requestsOpen = false;
        if (requestBuffer.capacity() > 2 * MAX_BATCH_BYTES) {
          requestBuffer = new ExpandableArrayBuffer(INITIAL_OUTBOX_BYTES);
        }
      }
    }

    private void sealReplies() {
      if (repliesOpen) {
        sealedReplies.addLast(Arrays.copyOf(replyBuffer.byteArray(), replies.finish()));
        repliesOpen = false;
        if (replyBuffer.capacity() > 2 * MAX_BATCH_BYTES) {
          replyBuffer = new ExpandableArrayBuffer(INITIAL_OUTBOX_BYTES);
        }
      }
    }

    /** Sender thread: sends everything queued, stamped with the current view. */
    void ship(ClusterNode node, Address destination, Routing r) {
      final byte[][] requestFrames;
      final byte[][] replyFrames;
      synchronized (this) {
        if (!requestsOpen && !repliesOpen && sealedRequests.isEmpty() && sealedReplies.isEmpty()) {
          return;
        }
        sealRequests();
        sealReplies();
        requestFrames = drain(sealedRequests);
        replyFrames = drain(sealedReplies);
      }
      final ViewStamp stamp = r == null ? NO_VIEW : r.stamp;
      for (byte[] frame : requestFrames) {
        ReplicationMessages.encodeHeader(
            new UnsafeBuffer(frame), 0, ReplicationMessages.FORWARD_BATCH, stamp);
        node.send(destination, frame, false);
        node.stats.forwardBatchesSent.increment();
      }
      for (byte[] frame : replyFrames) {
        ReplicationMessages.encodeHeader(
            new UnsafeBuffer(frame), 0, ReplicationMessages.FORWARD_REPLY_BATCH, stamp);
        node.send(destination, frame, true);
      }
    }

    private static byte[][] drain(java.util.ArrayDeque<byte[]> frames) {
      final byte[][] out = frames.toArray(new byte[0][]);
      frames.clear();
      return out;
    }

    /** The destination left: drop everything queued and refuse more. */
    synchronized void close() {
      closed = true;
      requestsOpen = false;
      repliesOpen = false;
      sealedRequests.clear();
      sealedReplies.clear();
    }
  }

  /** One sealed batch, kept until acknowledged. */
  private static final class Frame {
    final byte[] bytes;
    final long lastCounter;
    final int count;
    long sentAtNs;

    Frame(byte[] bytes, long lastCounter, int count) {
      this.bytes = bytes;
      this.lastCounter = lastCounter;
      this.count = count;
    }
  }

  /**
   * The replication stream from this node to one member. Appends come from request threads (under
   * this object's lock), shipping from the sender thread only, acks from JGroups threads.
   */
  final class Link {
    final Address destination;
    final Outbox outbox = new Outbox();
    final int incarnation = ThreadLocalRandom.current().nextInt(1, 1 << 24);
    private final ReplicationMessages.EffectBatchEncoder encoder =
        new ReplicationMessages.EffectBatchEncoder();
    private final ExpandableArrayBuffer open = new ExpandableArrayBuffer(MAX_BATCH_BYTES + 1024);
    private final java.util.ArrayDeque<Frame> unacked = new java.util.ArrayDeque<>();
    private final java.util.PriorityQueue<Waiter> waiters =
        new java.util.PriorityQueue<>((a, b) -> Long.compare(a.seq, b.seq));
    private long counter;
    private volatile long acked;

    /** When an acknowledgement last moved {@link #acked} forward (guarded by this). */
    private long ackProgressNs = System.nanoTime();

    private boolean opened;
    private boolean closed;
    private boolean resend;

    Link(Address destination) {
      this.destination = destination;
    }

    /** Appends one entry; returns its counter, or -1 when the link is closed. */
    synchronized long append(int slot, DirectBuffer buffer, int offset, int length) {
      if (closed) {
        return -1;
      }
      if (opened
          && encoder.length() + ReplicationMessages.EFFECT_ENTRY_HEADER_LENGTH + length
              > MAX_BATCH_BYTES) {
        seal();
      }
      if (!opened) {
        encoder.wrap(open, 0, NO_VIEW, 0);
        opened = true;
      }
      counter++;
      encoder.append(
          slot, ReplicationMessages.linkSeq(incarnation, counter), buffer, offset, length);
      return counter;
    }

    private void seal() {
      if (!opened) {
        return;
      }
      final int length = encoder.finish();
      open.putLong(
          ReplicationMessages.BATCH_SEQ_OFFSET, ReplicationMessages.linkSeq(incarnation, counter));
      unacked.addLast(new Frame(Arrays.copyOf(open.byteArray(), length), counter, encoder.count()));
      opened = false;
    }

    synchronized long lastCounter() {
      return counter;
    }

    boolean ackedAtLeast(long seq) {
      return acked >= seq;
    }

    synchronized boolean isClosed() {
      return closed;
    }

    synchronized long unackedBytes() {
      long n = 0;
      for (Frame frame : unacked) {
        n += frame.bytes.length;
      }
      return n;
    }

    synchronized long lag() {
      return counter - acked;
    }

    synchronized int waiterCount() {
      return waiters.size();
    }

    synchronized void resendAll() {
      resend = true;
    }

    /** Sender thread: seals the open batch and sends what is due, stamped with the current view. */
    void ship(ClusterNode node, long nowNs) {
      final List<Frame> due = new ArrayList<>();
      final boolean again;
      synchronized (this) {
        if (closed) {
          return;
        }
        seal();
        // Silence: the oldest batch went out a while ago and no acknowledgement has advanced since.
        // A backup that is behind but acknowledging is not sent everything again (that would only
        // add to its backlog); a lost or refused batch stops its acknowledgements.
        final Frame oldest = unacked.peekFirst();
        again =
            resend
                || (oldest != null
                    && oldest.sentAtNs != 0
                    && nowNs - oldest.sentAtNs > RESEND_INTERVAL_NS
                    && nowNs - ackProgressNs > RESEND_INTERVAL_NS);
        resend = false;
        for (Frame frame : unacked) {
          if (again || frame.sentAtNs == 0) {
            frame.sentAtNs = nowNs;
            due.add(frame);
          }
        }
      }
      final Routing r = node.routing;
      if (due.isEmpty() || r == null) {
        return;
      }
      for (Frame frame : due) {
        final byte[] wire = frame.bytes.clone();
        ReplicationMessages.encodeHeader(
            new UnsafeBuffer(wire), 0, ReplicationMessages.EFFECT_BATCH, r.stamp);
        node.send(destination, wire, false);
        node.stats.batchesSent.increment();
        node.stats.bytesSent.add(wire.length);
        if (again) {
          node.stats.batchesResent.increment();
        }
      }
    }

    /** An ack up to {@code upTo}: drops frames and releases waiters. */
    void acknowledged(ClusterNode node, long upTo) {
      List<Waiter> released = null;
      synchronized (this) {
        if (upTo <= acked || upTo > counter) {
          return;
        }
        acked = upTo;
        ackProgressNs = System.nanoTime();
        while (!unacked.isEmpty() && unacked.peekFirst().lastCounter <= upTo) {
          unacked.pollFirst();
        }
        while (!waiters.isEmpty() && waiters.peek().seq <= upTo) {
          if (released == null) {
            released = new ArrayList<>();
          }
          released.add(waiters.poll());
        }
      }
      if (released != null) {
        for (Waiter w : released) {
          w.ticket.arrive(node);
        }
      }
    }

    /** Registers {@code ticket} until {@code seq} is acknowledged (at once if it is, or closed). */
    void await(Ticket ticket, long seq) {
      synchronized (this) {
        if (!closed && acked < seq) {
          waiters.add(new Waiter(ticket, seq));
          return;
        }
        if (closed && !writable()) {
          ticket.lost = true;
        }
      }
      ticket.arrive(ClusterNode.this);
    }

    /** The destination left: stop waiting for it ({@code majority} false fails the waiters). */
    void close(ClusterNode node, boolean majority) {
      outbox.close();
      final List<Waiter> released;
      synchronized (this) {
        closed = true;
        unacked.clear();
        released = new ArrayList<>(waiters);
        waiters.clear();
      }
      for (Waiter w : released) {
        if (!majority) {
          w.ticket.lost = true;
        }
        w.ticket.arrive(node);
      }
    }
  }

  /** Counters; written by any thread. */
  private static final class Stats {
    final LongAdder effectsSent = new LongAdder();
    final LongAdder batchesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder batchesResent = new LongAdder();
    final LongAdder effectsApplied = new LongAdder();
    final LongAdder batchesApplied = new LongAdder();
    final LongAdder batchesRejected = new LongAdder();
    final LongAdder effectsDropped = new LongAdder();
    final LongAdder forwardsSent = new LongAdder();
    final LongAdder forwardBatchesSent = new LongAdder();
    final LongAdder forwardsExecuted = new LongAdder();
    final LongAdder stateTransfersSent = new LongAdder();
    final LongAdder recordsTransferred = new LongAdder();
    final LongAdder assignmentsInstalled = new LongAdder();
    final LongAdder handoffs = new LongAdder();
    final LongAdder publishesSent = new LongAdder();
    final LongAdder publishesReceived = new LongAdder();
    final LongAdder publishesDropped = new LongAdder();
  }
}
