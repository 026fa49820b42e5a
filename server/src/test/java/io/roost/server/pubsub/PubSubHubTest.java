package io.roost.server.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PUBLISH is atomic, as in Redis: whom one message reaches is decided before any of it is
 * delivered. The subscriber here runs on an immediate executor and unsubscribes from its pattern
 * the moment the channel message is written to it, the fastest reaction a real client could have.
 */
class PubSubHubTest {
  private static ByteKey key(String s) {
    return new ByteKey(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSubscriberReactingToTheChannelMessageStillCountsForItsPattern() {
    PubSubHub hub = new PubSubHub();
    List<String> written = new ArrayList<>();
    Subscriber[] self = new Subscriber[1];
    Subscriber s =
        new Subscriber(
            new Subscriber.Target() {
              @Override
              public EventExecutor executor() {
                return ImmediateEventExecutor.INSTANCE;
              }

              @Override
              public boolean write(Message m) {
                written.add(
                    m.kind() + " " + new String(m.channel().bytes(), StandardCharsets.UTF_8));
                if (m.kind() == Message.Kind.MESSAGE) {
                  hub.punsubscribe(self[0], key("news.*"));
                }
                return true;
              }

              @Override
              public void flushMessages() {}
            });
    self[0] = s;
    hub.subscribe(s, key("news.1"));
    hub.psubscribe(s, key("news.*"));

    int receivers = hub.publishLocal("news.1".getBytes(StandardCharsets.UTF_8), new byte[] {1});

    assertEquals(2, receivers, "one channel subscriber plus one matching pattern");
    // The pattern's message raced with the PUNSUBSCRIBE and is dropped, never written after it.
    assertEquals(List.of("MESSAGE news.1"), written);
    assertEquals(0, hub.patternCount());
  }
}
