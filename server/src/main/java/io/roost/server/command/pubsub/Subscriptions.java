package io.roost.server.command.pubsub;

import io.roost.protocol.RespWriter;
import io.roost.server.command.Call;
import io.roost.server.pubsub.ByteKey;
import io.roost.server.pubsub.PubSubHub;
import io.roost.server.pubsub.Subscriber;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The subscribe family: (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE. Each argument gets one confirmation
 * (an array in RESP2, a push in RESP3) carrying the count Redis puts there: channels plus patterns,
 * or shard channels for the S variants. Runs on the connection's event loop, which owns its {@link
 * Subscriber}.
 */
public final class Subscriptions {
  private Subscriptions() {}

  /** Which of the three subscription kinds a command works on, and its confirmation names. */
  private enum Kind {
    CHANNEL("subscribe", "unsubscribe"),
    PATTERN("psubscribe", "punsubscribe"),
    SHARD("ssubscribe", "sunsubscribe");

    final byte[] subscribed;
    final byte[] unsubscribed;

    Kind(String subscribed, String unsubscribed) {
      this.subscribed = subscribed.getBytes(StandardCharsets.US_ASCII);
      this.unsubscribed = unsubscribed.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** {@code SUBSCRIBE channel [channel ...]}. */
  public static void subscribe(Call call) {
    subscribe(call, Kind.CHANNEL);
  }

  /** {@code PSUBSCRIBE pattern [pattern ...]}. */
  public static void psubscribe(Call call) {
    subscribe(call, Kind.PATTERN);
  }

  /** {@code SSUBSCRIBE shardchannel [shardchannel ...]}. */
  public static void ssubscribe(Call call) {
    subscribe(call, Kind.SHARD);
  }

  /** {@code UNSUBSCRIBE [channel ...]}. */
  public static void unsubscribe(Call call) {
    unsubscribe(call, Kind.CHANNEL);
  }

  /** {@code PUNSUBSCRIBE [pattern ...]}. */
  public static void punsubscribe(Call call) {
    unsubscribe(call, Kind.PATTERN);
  }

  /** {@code SUNSUBSCRIBE [shardchannel ...]}. */
  public static void sunsubscribe(Call call) {
    unsubscribe(call, Kind.SHARD);
  }

  private static void subscribe(Call call, Kind kind) {
    Subscriber s = subscriber(call);
    if (s == null) {
      return;
    }
    PubSubHub hub = call.server().pubsub();
    for (int i = 1; i < call.argc(); i++) {
      ByteKey name = new ByteKey(call.argBytes(i));
      switch (kind) {
        case CHANNEL -> hub.subscribe(s, name);
        case PATTERN -> hub.psubscribe(s, name);
        case SHARD -> hub.subscribeShard(s, name);
      }
      confirm(call.reply(), kind.subscribed, name, count(s, kind));
    }
  }

  private static void unsubscribe(Call call, Kind kind) {
    Subscriber s = subscriber(call);
    if (s == null) {
      return;
    }
    PubSubHub hub = call.server().pubsub();
    if (call.argc() == 1) {
      List<ByteKey> all =
          switch (kind) {
            case CHANNEL -> hub.channelsOf(s);
            case PATTERN -> hub.patternsOf(s);
            case SHARD -> hub.shardChannelsOf(s);
          };
      for (ByteKey name : all) {
        remove(hub, s, kind, name);
        confirm(call.reply(), kind.unsubscribed, name, count(s, kind));
      }
      if (all.isEmpty()) {
        // Subscribed to nothing of this kind: Redis still confirms, with a null name.
        confirm(call.reply(), kind.unsubscribed, null, count(s, kind));
      }
      return;
    }
    for (int i = 1; i < call.argc(); i++) {
      ByteKey name = new ByteKey(call.argBytes(i));
      remove(hub, s, kind, name);
      confirm(call.reply(), kind.unsubscribed, name, count(s, kind));
    }
  }

  private static void remove(PubSubHub hub, Subscriber s, Kind kind, ByteKey name) {
    switch (kind) {
      case CHANNEL -> hub.unsubscribe(s, name);
      case PATTERN -> hub.punsubscribe(s, name);
      case SHARD -> hub.unsubscribeShard(s, name);
    }
  }

  /** The connection's subscriber with its queued messages written first; null for no connection. */
  private static Subscriber subscriber(Call call) {
    Subscriber s = call.client().subscriber();
    if (s == null) {
      call.reply().error("ERR " + call.spec().fullName() + " needs a client connection");
      return null;
    }
    // Messages published before this command reach the client before its confirmation.
    s.drainNow();
    return s;
  }

  private static int count(Subscriber s, Kind kind) {
    return kind == Kind.SHARD ? s.shardChannelCount() : s.count();
  }

  private static void confirm(RespWriter r, byte[] what, ByteKey name, int count) {
    r.pushHeader(3);
    r.bulk(what);
    if (name == null) {
      r.nullBulk();
    } else {
      r.bulk(name.bytes());
    }
    r.integer(count);
  }
}
