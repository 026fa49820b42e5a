package io.roost.server.net;

import io.netty.channel.Channel;
import io.roost.server.pubsub.Subscriber;
import java.net.InetSocketAddress;

/**
 * One client connection's state. Owned by the connection's event-loop thread; other threads (CLIENT
 * LIST/KILL/INFO from another connection) only read the volatile fields or ask the owning loop to
 * act through {@link #channel()}.
 */
public final class Client {
  /** What {@code CLIENT REPLY} set. */
  public enum ReplyMode {
    ON,
    OFF,
    /** Set by CLIENT REPLY SKIP; becomes SKIP once that command is done. */
    SKIP_NEXT,
    SKIP
  }

  private final long id;
  private final Channel channel;
  private final String addr;
  private final String laddr;
  private final long createdMs;
  private final boolean internal;

  public volatile String name = "";
  public volatile String libName = "";
  public volatile String libVer = "";
  public volatile int db;
  public volatile boolean authenticated;
  public volatile int protocol = 2;
  public volatile long lastInteractionMs;
  public volatile String lastCommand = "NULL";
  public volatile boolean monitor;
  public volatile boolean noEvict;
  public volatile boolean noTouch;

  /** Set by {@code READONLY}, cleared by {@code READWRITE} and {@code RESET}. */
  public volatile boolean readOnly;

  /**
   * Set by {@code ASKING}; holds for the next command only ({@code cluster-mode redis}). Owned by
   * the event loop (CLIENT LIST on another loop may read a stale value).
   */
  public boolean asking;

  public ReplyMode replyMode = ReplyMode.ON;

  /** Set by a command that wants the connection closed once its reply is written. */
  public boolean closeAfterReply;

  /** Bytes buffered but not yet processed, for CLIENT LIST's qbuf. */
  public volatile int queryBufferBytes;

  /** Bytes of replies waiting in the channel, for CLIENT LIST's omem. */
  public volatile long outputBufferBytes;

  /** Subscriptions and inbox; set once by the connection before the client is listed. */
  private Subscriber subscriber;

  public Client(long id, Channel channel, long nowMs) {
    this.id = id;
    this.channel = channel;
    this.addr = format(channel.remoteAddress());
    this.laddr = format(channel.localAddress());
    this.createdMs = nowMs;
    this.lastInteractionMs = nowMs;
    this.internal = false;
  }

  /** A client inside the server that runs commands forwarded by other nodes; never listed. */
  static Client internal(long id, long nowMs) {
    return new Client(id, nowMs);
  }

  private Client(long id, long nowMs) {
    this.id = id;
    this.channel = null;
    this.addr = "cluster:0";
    this.laddr = "cluster:0";
    this.createdMs = nowMs;
    this.lastInteractionMs = nowMs;
    this.internal = true;
    this.authenticated = true;
  }

  /** The connection's pub/sub state; null for the internal client. */
  public Subscriber subscriber() {
    return subscriber;
  }

  void subscriber(Subscriber s) {
    subscriber = s;
  }

  /**
   * Subscribed to a channel, pattern or shard channel: Redis's pub/sub client (flag {@code P},
   * {@code TYPE pubsub}); in RESP2 only the subscribe family, PING, QUIT and RESET run.
   */
  public boolean subscribed() {
    Subscriber s = subscriber;
    return s != null && s.subscribed();
  }

  /** True for the server's own client that executes commands forwarded by other nodes. */
  public boolean internal() {
    return internal;
  }

  public long id() {
    return id;
  }

  public Channel channel() {
    return channel;
  }

  /** Peer address as {@code ip:port}. */
  public String addr() {
    return addr;
  }

  /** Local address as {@code ip:port}. */
  public String laddr() {
    return laddr;
  }

  public long createdMs() {
    return createdMs;
  }

  private static String format(java.net.SocketAddress a) {
    if (a instanceof InetSocketAddress i) {
      String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
      return host + ":" + i.getPort();
    }
    return String.valueOf(a);
  }

  /** The {@code CLIENT LIST}/{@code CLIENT INFO} line of this client, without the newline. */
  public String describe(long nowMs) {
    Subscriber s = subscriber;
    boolean pubsub = s != null && s.subscribed();
    String flags = monitor ? "O" : "N";
    if (pubsub) {
      flags = flags.equals("N") ? "P" : flags + "P";
    }
    if (readOnly) {
      flags = flags.equals("N") ? "r" : flags + "r";
    }
    if (asking) {
      flags = flags.equals("N") ? "A" : flags + "A";
    }
    if (noEvict) {
      flags = flags.equals("N") ? "e" : flags + "e";
    }
    if (noTouch) {
      flags = flags.equals("N") ? "T" : flags + "T";
    }
    return "id="
        + id
        + " addr="
        + addr
        + " laddr="
        + laddr
        + " fd=-1 name="
        + name
        + " age="
        + (nowMs - createdMs) / 1000
        + " idle="
        + Math.max(0, nowMs - lastInteractionMs) / 1000
        + " flags="
        + flags
        + " db="
        + db
        + " sub="
        + (s == null ? 0 : s.channelCount())
        + " psub="
        + (s == null ? 0 : s.patternCount())
        + " ssub="
        + (s == null ? 0 : s.shardChannelCount())
        + " multi=-1 watch=0 qbuf="
        + queryBufferBytes
        + " qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem="
        + outputBufferBytes
        + " tot-mem="
        + (queryBufferBytes + outputBufferBytes)
        + " events=r cmd="
        + lastCommand
        + " user=default redir=-1 resp="
        + protocol
        + " lib-name="
        + libName
        + " lib-ver="
        + libVer;
  }
}
