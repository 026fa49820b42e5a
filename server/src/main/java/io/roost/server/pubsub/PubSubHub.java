package io.roost.server.pubsub;

import io.roost.store.GlobMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * This node's pub/sub: who is subscribed to what, and delivery of published messages to them.
 * Shared by every thread: publishing takes no lock; (un)subscribing runs on the subscriber's event
 * loop and takes a lock only for patterns.
 *
 * <p>Implementation notes. Channels and shard channels are concurrent maps from name to an
 * immutable array of subscribers, replaced as a whole on (un)subscribe, so a publisher reads one
 * consistent array without locking. Patterns are one copy-on-write array of (pattern, subscribers)
 * entries, rewritten under {@code patternLock} by (un)subscribers and read by publishers through a
 * volatile field. A message is copied once by the publisher and shared by every receiver; each
 * receiver's {@link Subscriber} queues it and writes it on its own event loop (see there). Receiver
 * counts are those of Redis: one per channel subscriber plus one per matching (pattern, subscriber)
 * pair; shard channels ignore patterns.
 *
 * <p>Seam for the cluster. {@link #publish} and {@link #publishShard} are what PUBLISH, SPUBLISH
 * and keyspace notifications call: local delivery through {@link #publishLocal} / {@link
 * #publishShardLocal}, then one call of the installed {@link PubSubFanOut} per message so a cluster
 * can ship it to the other nodes. A node receiving a message from another node calls only the
 * {@code *Local} method (never {@link #publish}, which would ship it again). The fan-out defaults
 * to {@link PubSubFanOut#NONE}; {@link #fanOut(PubSubFanOut)} installs one.
 */
public final class PubSubHub {
  private static final Subscriber[] NO_SUBSCRIBERS = new Subscriber[0];
  private static final PatternEntry[] NO_PATTERNS = new PatternEntry[0];

  /** One subscribed pattern and its subscribers. Immutable. */
  private record PatternEntry(ByteKey pattern, UnsafeBuffer matcher, Subscriber[] subscribers) {}

  private final ConcurrentHashMap<ByteKey, Subscriber[]> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ByteKey, Subscriber[]> shardChannels = new ConcurrentHashMap<>();
  private final Object patternLock = new Object();
  private volatile PatternEntry[] patterns = NO_PATTERNS;
  private volatile PubSubFanOut fanOut = PubSubFanOut.NONE;

  /** Installs where messages published here go after local delivery (the cluster). */
  public void fanOut(PubSubFanOut f) {
    fanOut = f == null ? PubSubFanOut.NONE : f;
  }

  // ------------------------------------------------------------------ publishing

  /**
   * PUBLISH: delivers to this node's subscribers, then hands the message to the fan-out. Any
   * thread; never blocks. The arrays are kept: the caller must not modify them afterwards.
   *
   * @return the receivers on this node.
   */
  public int publish(byte[] channel, byte[] message) {
    int receivers = publishLocal(channel, message);
    fanOut.publish(channel, message);
    return receivers;
  }

  /** SPUBLISH: like {@link #publish} for a shard channel. */
  public int publishShard(byte[] shardChannel, byte[] message) {
    int receivers = publishShardLocal(shardChannel, message);
    fanOut.publishShard(shardChannel, message);
    return receivers;
  }

  /**
   * Delivers to this node's channel and pattern subscribers only (a message from another node). Any
   * thread; never blocks; keeps the arrays.
   *
   * @return the receivers on this node.
   */
  public int publishLocal(byte[] channel, byte[] message) {
    ByteKey key = new ByteKey(channel);
    // Both snapshots before the first offer: a subscriber reacting to this message's delivery (an
    // UNSUBSCRIBE on receipt) must not change whom the rest of it reaches, as PUBLISH is atomic in
    // Redis. (The drain still drops what raced with an unsubscribe.)
    Subscriber[] subs = channels.get(key);
    PatternEntry[] pats = patterns;
    int receivers = offer(subs, Message.Kind.MESSAGE, key, message);
    if (pats.length > 0) {
      UnsafeBuffer name = new UnsafeBuffer(channel);
      for (PatternEntry p : pats) {
        if (!GlobMatcher.matches(
            p.matcher(), 0, p.pattern().length(), name, 0, channel.length, false)) {
          continue;
        }
        Message m = new Message(Message.Kind.PMESSAGE, p.pattern(), key, message);
        for (Subscriber s : p.subscribers()) {
          s.offer(m);
        }
        receivers += p.subscribers().length;
      }
    }
    return receivers;
  }

  /** Delivers to this node's subscribers of a shard channel only; see {@link #publishLocal}. */
  public int publishShardLocal(byte[] shardChannel, byte[] message) {
    ByteKey key = new ByteKey(shardChannel);
    return offer(shardChannels.get(key), Message.Kind.SMESSAGE, key, message);
  }

  /** Offers one message on {@code key} to {@code subs} (may be null); returns how many. */
  private static int offer(Subscriber[] subs, Message.Kind kind, ByteKey key, byte[] message) {
    if (subs == null) {
      return 0;
    }
    Message m = new Message(kind, null, key, message);
    for (Subscriber s : subs) {
      s.offer(m);
    }
    return subs.length;
  }

  // ------------------------------------------------------------------ subscribing (owner loop)

  /** SUBSCRIBE one channel; true when it is new for {@code s}. Event loop of {@code s}. */
  public boolean subscribe(Subscriber s, ByteKey channel) {
    if (!s.addChannel(channel)) {
      return false;
    }
    add(channels, channel, s);
    return true;
  }

  /** UNSUBSCRIBE one channel; true when {@code s} was subscribed. Event loop of {@code s}. */
  public boolean unsubscribe(Subscriber s, ByteKey channel) {
    if (!s.removeChannel(channel)) {
      return false;
    }
    remove(channels, channel, s);
    return true;
  }

  /** SSUBSCRIBE one shard channel; true when it is new for {@code s}. */
  public boolean subscribeShard(Subscriber s, ByteKey channel) {
    if (!s.addShardChannel(channel)) {
      return false;
    }
    add(shardChannels, channel, s);
    return true;
  }

  /** SUNSUBSCRIBE one shard channel; true when {@code s} was subscribed. */
  public boolean unsubscribeShard(Subscriber s, ByteKey channel) {
    if (!s.removeShardChannel(channel)) {
      return false;
    }
    remove(shardChannels, channel, s);
    return true;
  }

  private static void add(
      ConcurrentHashMap<ByteKey, Subscriber[]> map, ByteKey channel, Subscriber s) {
    map.compute(channel, (k, subs) -> with(subs, s));
  }

  private static void remove(
      ConcurrentHashMap<ByteKey, Subscriber[]> map, ByteKey channel, Subscriber s) {
    map.computeIfPresent(channel, (k, subs) -> without(subs, s));
  }

  /** PSUBSCRIBE one pattern; true when it is new for {@code s}. */
  public boolean psubscribe(Subscriber s, ByteKey pattern) {
    if (!s.addPattern(pattern)) {
      return false;
    }
    synchronized (patternLock) {
      PatternEntry[] old = patterns;
      for (int i = 0; i < old.length; i++) {
        if (old[i].pattern().equals(pattern)) {
          PatternEntry[] next = old.clone();
          next[i] = new PatternEntry(pattern, old[i].matcher(), with(old[i].subscribers(), s));
          patterns = next;
          return true;
        }
      }
      PatternEntry[] next = Arrays.copyOf(old, old.length + 1);
      next[old.length] =
          new PatternEntry(pattern, new UnsafeBuffer(pattern.bytes()), new Subscriber[] {s});
      patterns = next;
    }
    return true;
  }

  /** PUNSUBSCRIBE one pattern; true when {@code s} was subscribed. */
  public boolean punsubscribe(Subscriber s, ByteKey pattern) {
    if (!s.removePattern(pattern)) {
      return false;
    }
    synchronized (patternLock) {
      PatternEntry[] old = patterns;
      for (int i = 0; i < old.length; i++) {
        if (old[i].pattern().equals(pattern)) {
          Subscriber[] left = without(old[i].subscribers(), s);
          PatternEntry[] next;
          if (left == null) {
            next = new PatternEntry[old.length - 1];
            System.arraycopy(old, 0, next, 0, i);
            System.arraycopy(old, i + 1, next, i, old.length - i - 1);
          } else {
            next = old.clone();
            next[i] = new PatternEntry(pattern, old[i].matcher(), left);
          }
          patterns = next;
          break;
        }
      }
    }
    return true;
  }

  /**
   * Drops every subscription of {@code s} without confirmations (RESET, connection closed). Event
   * loop of {@code s}.
   */
  public void unsubscribeAll(Subscriber s) {
    for (ByteKey k : s.channels()) {
      unsubscribe(s, k);
    }
    for (ByteKey k : s.patterns()) {
      punsubscribe(s, k);
    }
    for (ByteKey k : s.shardChannels()) {
      unsubscribeShard(s, k);
    }
  }

  /** The connection of {@code s} closed: no subscriptions, nothing queued. Its event loop. */
  public void closed(Subscriber s) {
    unsubscribeAll(s);
    s.close();
  }

  /** UNSUBSCRIBE with no channel: every channel of {@code s}, in its order. */
  public List<ByteKey> channelsOf(Subscriber s) {
    return s.channels();
  }

  /** PUNSUBSCRIBE with no pattern: every pattern of {@code s}. */
  public List<ByteKey> patternsOf(Subscriber s) {
    return s.patterns();
  }

  /** SUNSUBSCRIBE with no shard channel: every shard channel of {@code s}. */
  public List<ByteKey> shardChannelsOf(Subscriber s) {
    return s.shardChannels();
  }

  private static Subscriber[] with(Subscriber[] subs, Subscriber s) {
    if (subs == null) {
      return new Subscriber[] {s};
    }
    Subscriber[] next = Arrays.copyOf(subs, subs.length + 1);
    next[subs.length] = s;
    return next;
  }

  /** {@code subs} without {@code s}; null when nothing is left (the map entry goes). */
  private static Subscriber[] without(Subscriber[] subs, Subscriber s) {
    int at = -1;
    for (int i = 0; i < subs.length; i++) {
      if (subs[i] == s) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      return subs;
    }
    if (subs.length == 1) {
      return null;
    }
    Subscriber[] next = new Subscriber[subs.length - 1];
    System.arraycopy(subs, 0, next, 0, at);
    System.arraycopy(subs, at + 1, next, at, subs.length - at - 1);
    return next;
  }

  // ------------------------------------------------------------------ introspection (any thread)

  /** Channels with at least one subscriber (INFO pubsub_channels). */
  public int channelCount() {
    return channels.size();
  }

  /** Shard channels with at least one subscriber (INFO pubsubshard_channels). */
  public int shardChannelCount() {
    return shardChannels.size();
  }

  /** Distinct subscribed patterns (PUBSUB NUMPAT, INFO pubsub_patterns). */
  public int patternCount() {
    return patterns.length;
  }

  /** Subscribers of {@code channel}, patterns excluded (PUBSUB NUMSUB). */
  public int subscriberCount(byte[] channel) {
    return count(channels, channel);
  }

  /** Subscribers of a shard channel (PUBSUB SHARDNUMSUB). */
  public int shardSubscriberCount(byte[] shardChannel) {
    return count(shardChannels, shardChannel);
  }

  private static int count(ConcurrentHashMap<ByteKey, Subscriber[]> map, byte[] channel) {
    Subscriber[] subs = map.get(new ByteKey(channel));
    return subs == null ? 0 : subs.length;
  }

  /** Active channels matching {@code pattern} (every one when null): PUBSUB CHANNELS. */
  public List<byte[]> channels(byte[] pattern) {
    return list(channels, pattern);
  }

  /** Active shard channels matching {@code pattern}: PUBSUB SHARDCHANNELS. */
  public List<byte[]> shardChannels(byte[] pattern) {
    return list(shardChannels, pattern);
  }

  private static List<byte[]> list(ConcurrentHashMap<ByteKey, Subscriber[]> map, byte[] pattern) {
    List<byte[]> out = new ArrayList<>();
    UnsafeBuffer p = pattern == null ? null : new UnsafeBuffer(pattern);
    for (ByteKey k : map.keySet()) {
      if (p == null
          || GlobMatcher.matches(
              p, 0, pattern.length, new UnsafeBuffer(k.bytes()), 0, k.length(), false)) {
        out.add(k.bytes());
      }
    }
    return out;
  }
}
