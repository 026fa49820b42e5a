package io.roost.server.pubsub;

import io.roost.store.Bytes;
import io.roost.store.KeyspaceEvent;
import io.roost.store.KeyspaceEventSink;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * Publishes the store's keyspace events as Redis's keyspace notifications, through {@link
 * PubSubHub#publish} (local delivery, then the cluster fan-out). Installed on the store whatever
 * {@code notify-keyspace-events} says; {@link #classes(int)} switches it from any thread and {@link
 * #onEvent} runs on the thread executing the write.
 *
 * <p>Implementation notes. The store calls {@link #onEvent} while it holds the key's shard lock:
 * this copies the key, builds the channel names and hands them to the hub, which only queues
 * messages — nothing here calls back into the store. With notifications off the whole cost is one
 * volatile read. Class letters, their order when printed and the error text are Redis's (notify.c):
 * {@code A} is {@code g$lshzxetd}; {@code m} and {@code n} are outside {@code A} and {@code n} is
 * printed only when {@code A} is not.
 */
public final class KeyspaceNotifier implements KeyspaceEventSink {
  public static final int KEYSPACE = 1;
  public static final int KEYEVENT = 1 << 1;
  public static final int GENERIC = 1 << 2;
  public static final int STRING = 1 << 3;
  public static final int LIST = 1 << 4;
  public static final int SET = 1 << 5;
  public static final int HASH = 1 << 6;
  public static final int ZSET = 1 << 7;
  public static final int EXPIRED = 1 << 8;
  public static final int EVICTED = 1 << 9;
  public static final int STREAM = 1 << 10;
  public static final int KEY_MISS = 1 << 11;
  public static final int MODULE = 1 << 12;
  public static final int NEW = 1 << 13;
  public static final int ALL =
      GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

  /** CONFIG SET's complaint about a letter that is no class. */
  public static final String INVALID = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

  private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.US_ASCII);

  private final PubSubHub hub;
  private final int[] classOf;

  /** {@code __keyspace@<db>__:} per database. */
  private final byte[][] keyspacePrefix;

  /** {@code __keyevent@<db>__:<event>} per database and event. */
  private final byte[][][] keyeventChannel;

  private volatile int classes;

  /** On a clustered node: whether this node announces the events of a key of that slot. */
  private volatile java.util.function.IntPredicate announces;

  public KeyspaceNotifier(PubSubHub hub, int databases, int classes) {
    this.hub = hub;
    KeyspaceEvent[] events = KeyspaceEvent.values();
    this.classOf = new int[events.length];
    for (KeyspaceEvent e : events) {
      classOf[e.ordinal()] = parse(String.valueOf(e.classChar));
    }
    this.keyspacePrefix = new byte[databases][];
    this.keyeventChannel = new byte[databases][events.length][];
    for (int db = 0; db < databases; db++) {
      keyspacePrefix[db] =
          concat(KEYSPACE_PREFIX, (db + "__:").getBytes(StandardCharsets.US_ASCII));
      byte[] eventPrefix =
          concat(KEYEVENT_PREFIX, (db + "__:").getBytes(StandardCharsets.US_ASCII));
      for (KeyspaceEvent e : events) {
        keyeventChannel[db][e.ordinal()] = concat(eventPrefix, e.nameBytes());
      }
    }
    this.classes = classes;
  }

  /** Switches notifications to the parsed {@code notify-keyspace-events} flags; any thread. */
  public void classes(int flags) {
    classes = flags;
  }

  public int classes() {
    return classes;
  }

  /**
   * On a clustered node: announce only the events of keys whose slot {@code primaryOf} accepts
   * (this node's primary slots), so each event is published once in the cluster, by the node that
   * made the change, while backups applying the same effects and hiding expired keys stay silent.
   */
  public void announceOnly(java.util.function.IntPredicate primaryOf) {
    announces = primaryOf;
  }

  @Override
  public void onEvent(int db, KeyspaceEvent event, DirectBuffer key, int offset, int length) {
    int flags = classes;
    if ((flags & classOf[event.ordinal()]) == 0 || db < 0 || db >= keyspacePrefix.length) {
      return;
    }
    java.util.function.IntPredicate primaryOf = announces;
    if (primaryOf != null && !primaryOf.test(Bytes.clusterSlot(key, offset, length))) {
      return;
    }
    if ((flags & KEYSPACE) != 0) {
      byte[] prefix = keyspacePrefix[db];
      byte[] channel = new byte[prefix.length + length];
      System.arraycopy(prefix, 0, channel, 0, prefix.length);
      key.getBytes(offset, channel, prefix.length, length);
      hub.publish(channel, event.nameBytes());
    }
    if ((flags & KEYEVENT) != 0) {
      byte[] k = new byte[length];
      key.getBytes(offset, k, 0, length);
      hub.publish(keyeventChannel[db][event.ordinal()], k);
    }
  }

  /** The flags of a {@code notify-keyspace-events} value, or -1 when a letter names no class. */
  public static int parse(String classes) {
    int flags = 0;
    for (int i = 0; i < classes.length(); i++) {
      flags |=
          switch (classes.charAt(i)) {
            case 'A' -> ALL;
            case 'g' -> GENERIC;
            case '$' -> STRING;
            case 'l' -> LIST;
            case 's' -> SET;
            case 'h' -> HASH;
            case 'z' -> ZSET;
            case 'x' -> EXPIRED;
            case 'e' -> EVICTED;
            case 'K' -> KEYSPACE;
            case 'E' -> KEYEVENT;
            case 't' -> STREAM;
            case 'm' -> KEY_MISS;
            case 'd' -> MODULE;
            case 'n' -> NEW;
            default -> Integer.MIN_VALUE;
          };
    }
    return flags < 0 ? -1 : flags;
  }

  /** The value as {@code CONFIG GET} prints it: Redis's letters in Redis's order. */
  public static String format(int flags) {
    StringBuilder sb = new StringBuilder();
    if ((flags & ALL) == ALL) {
      sb.append('A');
    } else {
      append(sb, flags, GENERIC, 'g');
      append(sb, flags, STRING, '$');
      append(sb, flags, LIST, 'l');
      append(sb, flags, SET, 's');
      append(sb, flags, HASH, 'h');
      append(sb, flags, ZSET, 'z');
      append(sb, flags, EXPIRED, 'x');
      append(sb, flags, EVICTED, 'e');
      append(sb, flags, STREAM, 't');
      append(sb, flags, MODULE, 'd');
      append(sb, flags, NEW, 'n');
    }
    append(sb, flags, KEYSPACE, 'K');
    append(sb, flags, KEYEVENT, 'E');
    append(sb, flags, KEY_MISS, 'm');
    return sb.toString();
  }

  private static void append(StringBuilder sb, int flags, int flag, char c) {
    if ((flags & flag) != 0) {
      sb.append(c);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
