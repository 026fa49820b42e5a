package io.roost.cluster;

import java.util.ArrayList;
import java.util.List;
import org.jgroups.JChannel;
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
 * detection and merging, and DISCARD right above the transport for fault injection. (Not JGroups
 * 5.5's DELAY: its delivery thread polls without blocking and survives the channel, so every stack
 * with it would leave a thread spinning for the rest of the JVM.)
 */
final class TestStacks {
  private TestStacks() {}

  /** A channel named {@code name}; DISCARD is present but inactive. */
  static JChannel channel(String name) throws Exception {
    final List<Protocol> protocols = new ArrayList<>();
    protocols.add(new SHARED_LOOPBACK());
    protocols.add(new DISCARD());
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
