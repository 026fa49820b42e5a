package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TP;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two nodes over the production stack (roost-jgroups-tcp.xml) on 127.0.0.1. */
@Timeout(30)
class TcpStackIT {
  @Test
  void twoNodesJoinOverTcp() throws Exception {
    final int portA = freePort();
    final int portB = freePort();
    final String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    final String cluster = "roost-tcp-it-" + System.nanoTime();
    final ViewRecorder recorderA = new ViewRecorder();
    final ViewRecorder recorderB = new ViewRecorder();
    try (Membership a = node(cluster, portA, members, recorderA);
        Membership b = node(cluster, portB, members, recorderB)) {
      recorderA.await(Duration.ofSeconds(20), c -> c.current().size() == 2);
      recorderB.await(Duration.ofSeconds(20), c -> c.current().size() == 2);
      final TP transport = a.channel().getProtocolStack().getTransport();
      assertEquals(InetAddress.getByName("127.0.0.1"), transport.getBindAddr());
      assertEquals(portA, transport.getBindPort());
      assertFalse(transport.getDiagnosticsHandler().isEnabled(), "diagnostics must be off");
      // FD_SOCK2 listens on cluster-bind too, not on every interface.
      final FD_SOCK2 fd = a.channel().getProtocolStack().findProtocol(FD_SOCK2.class);
      assertEquals(InetAddress.getByName("127.0.0.1"), fd.getBindAddress());
      assertTrue(fd.getActualBindPort() > 0);
      assertEquals(a.view(), b.view());
    }
  }

  private static Membership node(String cluster, int port, String members, ViewRecorder recorder)
      throws Exception {
    final ClusterContext context =
        new ClusterContext()
            .clusterName(cluster)
            .bindAddress("127.0.0.1")
            .port(port)
            .members(members)
            .conclude();
    return new Membership(JGroupsStack.channel(context).name("tcp-" + port), recorder)
        .connect(context.clusterName());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
