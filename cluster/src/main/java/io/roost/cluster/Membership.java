package io.roost.cluster;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the JGroups views of one channel and whether this node sees a majority. View callbacks
 * arrive on JGroups threads; state is published through one volatile snapshot, and listeners are
 * called in view order on a single dedicated thread ({@code roost-membership-<name>}), never on a
 * JGroups thread.
 *
 * <p>Implementation notes.
 *
 * <ul>
 *   <li><b>Majority.</b> The <i>stable view</i> is the last view that held a strict majority of the
 *       stable view before it (the first view is stable). A node has a majority when its current
 *       view holds more than half the members of the stable view. So a cluster survives losing a
 *       minority at a time, a minority partition never becomes stable, and after a merge the merged
 *       view becomes stable again. As with any majority rule, a lone fresh node has a majority of
 *       itself, and a two-node cluster loses it when either node goes.
 *   <li><b>Concurrency.</b> {@link #viewAccepted} is serialised by a lock (JGroups delivers views
 *       one at a time, the lock makes that explicit); readers take the volatile snapshot and never
 *       block.
 * </ul>
 */
public final class Membership implements AutoCloseable {
  /** Receives view changes, in order, on the membership thread. */
  @FunctionalInterface
  public interface Listener {
    /** Called once per installed view. */
    void viewChanged(ViewChange change);
  }

  /**
   * One installed view.
   *
   * @param previous the view before, or null for the first view
   * @param current the new view
   * @param stable the stable view after this change
   * @param majority whether {@code current} holds a majority of the stable view before it
   */
  public record ViewChange(View previous, View current, View stable, boolean majority) {}

  private record State(View current, View stable, boolean majority) {}

  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  private static final long CLOSE_TIMEOUT_MS = 5_000;

  private final JChannel channel;
  private final Listener listener;
  private final ExecutorService notifier;
  private final Object lock = new Object();
  private volatile State state = new State(null, null, false);

  /** Receives every message, on the JGroups thread that delivers it. */
  @FunctionalInterface
  public interface MessageHandler {
    /** One message; must not block for long. */
    void onMessage(Message message);
  }

  /** Wraps {@code channel} (not yet connected); {@code listener} runs on the membership thread. */
  public Membership(JChannel channel, Listener listener) {
    this(channel, listener, message -> {});
  }

  /**
   * Wraps {@code channel} (not yet connected); {@code listener} runs on the membership thread,
   * {@code messages} on JGroups delivery threads.
   */
  public Membership(JChannel channel, Listener listener, MessageHandler messages) {
    this.channel = channel;
    this.listener = listener;
    final String name = channel.name() == null ? "node" : channel.name();
    this.notifier =
        Executors.newSingleThreadExecutor(
            runnable -> {
              final Thread thread = new Thread(runnable, "roost-membership-" + name);
              thread.setDaemon(true);
              return thread;
            });
    channel.setReceiver(
        new Receiver() {
          @Override
          public void viewAccepted(View view) {
            Membership.this.viewAccepted(view);
          }

          @Override
          public void receive(Message message) {
            messages.onMessage(message);
          }
        });
  }

  /** Joins {@code clusterName}; returns once the channel has its first view. */
  public Membership connect(String clusterName) throws Exception {
    channel.connect(clusterName);
    return this;
  }

  /** The channel (for replication messages once that layer exists). */
  public JChannel channel() {
    return channel;
  }

  /** This node's address, or null before connecting. */
  public Address localAddress() {
    return channel.getAddress();
  }

  /** The current view, or null before the first. */
  public View view() {
    return state.current;
  }

  /** The last stable view (see class notes), or null before the first view. */
  public View stableView() {
    return state.stable;
  }

  /** Whether the current view holds a strict majority of the last stable view. */
  public boolean hasMajority() {
    return state.majority;
  }

  /** Members of the current view in view order (empty before the first view). */
  public List<Address> members() {
    final View view = state.current;
    return view == null ? List.of() : view.getMembers();
  }

  void viewAccepted(View view) {
    final ViewChange change;
    synchronized (lock) {
      final State before = state;
      final boolean majority;
      final View stable;
      if (before.stable == null) {
        majority = true;
        stable = view;
      } else {
        majority = holdsMajority(view, before.stable);
        stable = majority ? view : before.stable;
      }
      state = new State(view, stable, majority);
      change = new ViewChange(before.current, view, stable, majority);
    }
    LOG.info("view={} stable={} majority={}", view, change.stable().getViewId(), change.majority());
    try {
      notifier.execute(() -> notify(change));
    } catch (RejectedExecutionException e) {
      LOG.debug("view={} after close not delivered", view.getViewId());
    }
  }

  /** Whether {@code view} holds more than half the members of {@code stable}. */
  static boolean holdsMajority(View view, View stable) {
    int present = 0;
    for (Address member : stable.getMembers()) {
      if (view.containsMember(member)) {
        present++;
      }
    }
    return present * 2 > stable.size();
  }

  private void notify(ViewChange change) {
    try {
      listener.viewChanged(change);
    } catch (RuntimeException e) {
      LOG.error("view listener failed view={}", change.current().getViewId(), e);
    }
  }

  /** Leaves the cluster, closes the channel and stops the membership thread. */
  @Override
  public void close() {
    channel.close();
    notifier.shutdown();
    try {
      if (!notifier.awaitTermination(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        notifier.shutdownNow();
      }
    } catch (InterruptedException e) {
      notifier.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
