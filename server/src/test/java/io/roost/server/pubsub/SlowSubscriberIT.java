package io.roost.server.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscriber that stops reading is closed by client-output-buffer-limit instead of making the
 * server buffer without bound; counted in INFO. Bounded by a message count, never by time.
 */
class SlowSubscriberIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private static final int MESSAGE_BYTES = 16 * 1024;

  /** Far more than the limit plus every socket buffer on the way can hold. */
  private static final int MAX_MESSAGES = 20_000;

  @Test
  void subscriberOverTheHardLimitIsClosed() throws Exception {
    try (RespClient admin = NODE.connect();
        Socket slow = new Socket()) {
      admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 256kb 60");
      slow.setReceiveBufferSize(4096);
      slow.setSoTimeout(10_000);
      slow.connect(new InetSocketAddress("127.0.0.1", NODE.port()));
      slow.getOutputStream()
          .write(RespClient.multibulk("SUBSCRIBE", "slow:ch").getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      // wait for the subscription (the confirmation stays unread in the socket)
      while (!admin.call("PUBSUB", "NUMSUB", "slow:ch").endsWith(":1\r\n")) {
        Thread.onSpinWait();
      }
      String payload = "x".repeat(MESSAGE_BYTES);
      int sent = 0;
      while (sent < MAX_MESSAGES && admin.call("PUBLISH", "slow:ch", payload).equals(":1\r\n")) {
        sent++;
      }
      assertTrue(sent < MAX_MESSAGES, "subscriber still subscribed after messages=" + sent);
      // The server dropped it: its pending output (at most the limit plus socket buffers) is gone.
      assertTrue(
          (long) sent * MESSAGE_BYTES < 64L * 1024 * 1024,
          "closed only after bytes=" + (long) sent * MESSAGE_BYTES);
      String info = admin.call("INFO", "stats");
      assertTrue(info.contains("client_output_buffer_limit_disconnections:1\r\n"), info);
      assertEquals("*2\r\n$7\r\nslow:ch\r\n:0\r\n", admin.call("PUBSUB", "NUMSUB", "slow:ch"));
      assertTrue(drainsToEof(slow.getInputStream()), "the slow subscriber's connection is closed");
      admin.call(
          "CONFIG",
          "SET",
          "client-output-buffer-limit",
          "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    }
  }

  private static boolean drainsToEof(InputStream in) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
        if (total > 256L * 1024 * 1024) {
          return false;
        }
      }
      return true;
    } catch (java.net.SocketException e) {
      return true; // reset by the server: closed too
    }
  }
}
