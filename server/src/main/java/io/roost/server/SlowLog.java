package io.roost.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The slow log: the most recent commands that ran longer than {@code slowlog-log-slower-than}.
 * Shared by every event loop; guarded by its own monitor, touched only for slow commands.
 */
public final class SlowLog {
  /** One entry, as SLOWLOG GET prints it. */
  public record Entry(
      long id,
      long timestampSec,
      long durationMicros,
      List<byte[]> args,
      String addr,
      String name) {}

  /** Arguments kept per entry, as Redis's SLOWLOG_ENTRY_MAX_ARGC. */
  public static final int MAX_ARGS = 32;

  /** Bytes kept per argument, as Redis's SLOWLOG_ENTRY_MAX_STRING. */
  public static final int MAX_ARG_BYTES = 128;

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long nextId;

  /** Records a command; {@code args} are already truncated as Redis truncates them. */
  public synchronized void add(
      long timestampSec,
      long durationMicros,
      List<byte[]> args,
      String addr,
      String name,
      int maxLen) {
    entries.addFirst(new Entry(nextId++, timestampSec, durationMicros, args, addr, name));
    while (entries.size() > maxLen) {
      entries.removeLast();
    }
  }

  /** Up to {@code count} newest entries; a negative count means all. */
  public synchronized List<Entry> newest(long count) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (count >= 0 && out.size() >= count) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized void reset() {
    entries.clear();
  }
}
