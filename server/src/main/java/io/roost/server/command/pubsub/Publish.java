package io.roost.server.command.pubsub;

import io.roost.server.command.Call;

/**
 * {@code PUBLISH channel message} and {@code SPUBLISH shardchannel message}: deliver to this node's
 * subscribers, hand the message to the cluster fan-out, reply with the local receiver count.
 * Stateless.
 */
public final class Publish {
  private Publish() {}

  public static void publish(Call call) {
    call.reply().integer(call.server().pubsub().publish(call.argBytes(1), call.argBytes(2)));
  }

  public static void spublish(Call call) {
    call.reply().integer(call.server().pubsub().publishShard(call.argBytes(1), call.argBytes(2)));
  }
}
