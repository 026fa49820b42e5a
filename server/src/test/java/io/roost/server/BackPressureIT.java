package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.roost.server.net.Client;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that stops reading replies: the server stops taking its commands instead of buffering
 * replies without bound, and resumes once the client reads again.
 */
class BackPressureIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  /** Bytes the server may hold for one client: Netty's high watermark plus a few batches. */
  static final long BOUND_BYTES = 4L * 1024 * 1024;

  private static long pendingOnEventLoop(Channel ch) throws Exception {
    return ch.eventLoop()
        .submit(
            () -> {
              ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
              return b == null ? 0L : b.totalPendingWriteBytes();
            })
        .get(10, TimeUnit.SECONDS);
  }

  private static boolean autoReadOnEventLoop(Channel ch) throws Exception {
    return ch.eventLoop().submit(() -> ch.config().isAutoRead()).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientThatStopsReadingIsHeldAndResumes() throws Exception {
    try (RespClient c = NODE.connect()) {
      c.socket().setReceiveBufferSize(64 * 1024);
      long id = ClientCommandsIT.id(c);
      String big = "x".repeat(60 * 1024);
      String reply = c.call("ECHO", big);
      int replyBytes = reply.length();
      // Small requests, large replies: 2000 ECHOs of a 60 KiB argument held in the query buffer
      // would be 120 MiB of replies; the request side is sent by a writer thread.
      int n = 2000;
      String cmd = RespClient.multibulk("ECHO", big);
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < n; i++) {
                      c.send(cmd);
                    }
                  });
      Client server = NODE.server().clients().get(id);
      Channel ch = server.channel();
      ClientCommandsIT.await(
          "the server to stop reading", () -> call(() -> !autoReadOnEventLoop(ch)));
      long pending = pendingOnEventLoop(ch);
      assertTrue(pending <= BOUND_BYTES, "pending=" + pending);
      for (int i = 0; i < n; i++) {
        assertEquals(replyBytes, c.read().length(), "reply " + i);
        if (i % 200 == 0) {
          long p = pendingOnEventLoop(ch);
          assertTrue(p <= BOUND_BYTES, "pending=" + p + " at reply " + i);
        }
      }
      writer.join(TimeUnit.SECONDS.toMillis(30));
      assertEquals("+PONG\r\n", c.call("PING"));
      assertTrue(autoReadOnEventLoop(ch));
    }
  }

  private interface Check {
    boolean get() throws Exception;
  }

  private static boolean call(Check check) {
    try {
      return check.get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
