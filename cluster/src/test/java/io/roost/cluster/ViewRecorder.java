package io.roost.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** Records view changes and lets a test await one, with a deadline; no polling. */
final class ViewRecorder implements Membership.Listener {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Membership.ViewChange> changes = new ArrayList<>();
  private final List<String> threads = new ArrayList<>();

  @Override
  public void viewChanged(Membership.ViewChange change) {
    lock.lock();
    try {
      changes.add(change);
      threads.add(Thread.currentThread().getName());
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The latest change satisfying {@code condition}; fails after {@code timeout}. */
  Membership.ViewChange await(Duration timeout, Predicate<Membership.ViewChange> condition)
      throws InterruptedException {
    final long deadlineNs = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        if (!changes.isEmpty() && condition.test(changes.get(changes.size() - 1))) {
          return changes.get(changes.size() - 1);
        }
        final long leftNs = deadlineNs - System.nanoTime();
        if (leftNs <= 0) {
          throw new AssertionError("no matching view within " + timeout + "; changes=" + changes);
        }
        changed.await(leftNs, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  List<Membership.ViewChange> changes() {
    lock.lock();
    try {
      return List.copyOf(changes);
    } finally {
      lock.unlock();
    }
  }

  List<String> threads() {
    lock.lock();
    try {
      return List.copyOf(threads);
    } finally {
      lock.unlock();
    }
  }
}
