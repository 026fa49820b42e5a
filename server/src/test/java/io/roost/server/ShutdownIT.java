package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SHUTDOWN on a dedicated node whose shutdown action the test sets. */
class ShutdownIT {
  @Test
  void shutdownRunsTheActionAndClosesWithoutReply() throws Exception {
    try (TestNode node = TestNode.start()) {
      CountDownLatch requested = new CountDownLatch(1);
      node.server().shutdownAction(requested::countDown);
      try (RespClient c = node.connect()) {
        assertEquals("-ERR syntax error\r\n", c.call("SHUTDOWN", "BOGUS"));
        assertEquals("-ERR No shutdown in progress.\r\n", c.call("SHUTDOWN", "ABORT"));
        assertEquals("-ERR syntax error\r\n", c.call("SHUTDOWN", "NOW", "ABORT"));
        assertEquals(1, requested.getCount());
        c.sendCommand("SHUTDOWN", "NOSAVE");
        assertTrue(requested.await(10, TimeUnit.SECONDS));
        assertTrue(c.awaitClosed());
      }
    }
  }

  @Test
  void closingTheNodeFlushesRepliesAndClosesClients() {
    TestNode node = TestNode.start();
    try (RespClient c = node.connect()) {
      assertEquals("+PONG\r\n", c.call("PING"));
      node.close();
      assertTrue(c.awaitClosed());
    }
  }
}
