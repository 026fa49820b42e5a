package io.roost.cluster;

import java.util.ArrayList;
import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.protocols.DELAY;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.protocols.SHARED_LOOPBACK_PING;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * In-JVM JGroups stacks for multi-node tests: SHARED_LOOPBACK transport (no sockets), fast failure
 * detection and merging, and DISCARD/DELAY right above the transport for fault injection.
 */
final class TestStacks {
  private TestStacks() {}

  /** A channel named {@code name}; DISCARD and DELAY are present but inactive. */
  static JChannel channel(String name) throws Exception {
    final List<Protocol> protocols = new ArrayList<>();
    protocols.add(new SHARED_LOOPBACK());
    protocols.add(new DISCARD());
    protocols.add(new DELAY());
    protocols.add(new SHARED_LOOPBACK_PING());
    protocols.add(new MERGE3().setMinInterval(500).setMaxInterval(1_500).setCheckInterval(2_000));
    protocols.add(new FD_ALL3().setTimeout(1_500).setInterval(300));
    protocols.add(new VERIFY_SUSPECT2().setTimeout(500));
    protocols.add(new NAKACK2().setXmitInterval(200));
    protocols.add(new UNICAST3().setXmitInterval(200));
    protocols.add(new STABLE());
    protocols.add(new GMS().setJoinTimeout(1_000).printLocalAddress(false));
    protocols.add(new FRAG4());
    return new JChannel(protocols).name(name);
  }

  /** The DISCARD protocol of {@code channel}. */
  static DISCARD discard(JChannel channel) {
    return channel.getProtocolStack().findProtocol(DISCARD.class);
  }
}
