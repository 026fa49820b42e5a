package io.roost.server.pubsub;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

/**
 * One connection's subscriptions and its inbox. The subscription sets are owned by the connection's
 * event loop ({@link Target#executor()}); {@link #offer} is called by any publishing thread; the
 * counts are volatile so CLIENT LIST and INFO read them from anywhere.
 *
 * <p>Implementation notes. A publisher appends the message to a lock-free inbox and, if no drain is
 * scheduled yet, schedules one on the owning loop: a burst of messages costs one task and one
 * flush. The drain writes every message whose subscription still holds (a message that raced with
 * an UNSUBSCRIBE is dropped, so none arrives after its unsubscribe confirmation) and flushes once.
 * The (un)subscribe commands drain first, on the loop, so the messages published before them come
 * before their confirmation, as in Redis. Bytes queued but not written count towards the output
 * buffer.
 */
public final class Subscriber {
  /** The connection a subscriber writes to. */
  public interface Target {
    /** The event loop that owns the connection. */
    EventExecutor executor();

    /**
     * Writes one message into the connection's outbound buffer; event loop only. False when the
     * connection is closing and takes nothing more.
     */
    boolean write(Message m);

    /** Flushes what {@link #write} added and applies the output-buffer limits; event loop only. */
    void flushMessages();
  }

  private final Target target;
  private final LinkedHashSet<ByteKey> channels = new LinkedHashSet<>();
  private final LinkedHashSet<ByteKey> patterns = new LinkedHashSet<>();
  private final LinkedHashSet<ByteKey> shardChannels = new LinkedHashSet<>();
  private final ManyToOneConcurrentLinkedQueue<Message> inbox =
      new ManyToOneConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Runnable drainTask = () -> drain(true);
  private volatile int channelCount;
  private volatile int patternCount;
  private volatile int shardChannelCount;
  private volatile boolean closed;

  public Subscriber(Target target) {
    this.target = target;
  }

  /** Channels (SUBSCRIBE), for CLIENT LIST's {@code sub}. */
  public int channelCount() {
    return channelCount;
  }

  /** Patterns (PSUBSCRIBE), for CLIENT LIST's {@code psub}. */
  public int patternCount() {
    return patternCount;
  }

  /** Shard channels (SSUBSCRIBE), for CLIENT LIST's {@code ssub}. */
  public int shardChannelCount() {
    return shardChannelCount;
  }

  /** The count (P)SUBSCRIBE confirmations carry: channels plus patterns. */
  public int count() {
    return channelCount + patternCount;
  }

  /** True while subscribed to anything: Redis's CLIENT_PUBSUB (flag {@code P}). */
  public boolean subscribed() {
    return channelCount + patternCount + shardChannelCount > 0;
  }

  /** Bytes offered but not yet written by the event loop. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  // ------------------------------------------------------------- owner loop: subscription sets

  boolean addChannel(ByteKey k) {
    boolean added = channels.add(k);
    channelCount = channels.size();
    return added;
  }

  boolean removeChannel(ByteKey k) {
    boolean removed = channels.remove(k);
    channelCount = channels.size();
    return removed;
  }

  boolean addPattern(ByteKey k) {
    boolean added = patterns.add(k);
    patternCount = patterns.size();
    return added;
  }

  boolean removePattern(ByteKey k) {
    boolean removed = patterns.remove(k);
    patternCount = patterns.size();
    return removed;
  }

  boolean addShardChannel(ByteKey k) {
    boolean added = shardChannels.add(k);
    shardChannelCount = shardChannels.size();
    return added;
  }

  boolean removeShardChannel(ByteKey k) {
    boolean removed = shardChannels.remove(k);
    shardChannelCount = shardChannels.size();
    return removed;
  }

  /** A copy of the channels, in subscription order; event loop only. */
  List<ByteKey> channels() {
    return new ArrayList<>(channels);
  }

  /** A copy of the patterns, in subscription order; event loop only. */
  List<ByteKey> patterns() {
    return new ArrayList<>(patterns);
  }

  /** A copy of the shard channels, in subscription order; event loop only. */
  List<ByteKey> shardChannels() {
    return new ArrayList<>(shardChannels);
  }

  // ------------------------------------------------------------- delivery

  /** Queues {@code m} for the owning loop; any thread, never blocks. */
  void offer(Message m) {
    if (closed) {
      return;
    }
    queuedBytes.addAndGet(m.sizeBytes());
    inbox.offer(m);
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        target.executor().execute(drainTask);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        closed = true; // the event loop is shutting down: the connection is going away
      }
    }
  }

  /**
   * Writes every queued message that still has its subscription, without flushing: the
   * (un)subscribe commands call it before they change anything. Event loop only.
   */
  public void drainNow() {
    drain(false);
  }

  private void drain(boolean flush) {
    drainScheduled.set(false);
    boolean wrote = false;
    Message m;
    while ((m = inbox.poll()) != null) {
      queuedBytes.addAndGet(-m.sizeBytes());
      if (closed || !stillSubscribed(m)) {
        continue;
      }
      if (!target.write(m)) {
        closed = true;
        continue;
      }
      wrote = true;
    }
    if (wrote && flush) {
      target.flushMessages();
    }
  }

  private boolean stillSubscribed(Message m) {
    return switch (m.kind()) {
      case MESSAGE -> channels.contains(m.channel());
      case PMESSAGE -> patterns.contains(m.pattern());
      case SMESSAGE -> shardChannels.contains(m.channel());
    };
  }

  /** The connection is gone: drops what is queued and takes nothing more. Event loop only. */
  void close() {
    closed = true;
    while (inbox.poll() != null) {
      // dropped
    }
    queuedBytes.set(0);
  }
}
