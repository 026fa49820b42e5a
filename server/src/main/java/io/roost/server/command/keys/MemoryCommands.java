package io.roost.server.command.keys;

import io.roost.protocol.RespNumberException;
import io.roost.protocol.RespWriter;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.command.Help;
import io.roost.store.StoreStats;
import java.nio.charset.StandardCharsets;

/**
 * {@code MEMORY USAGE|STATS|DOCTOR|MALLOC-STATS|PURGE|HELP}. Stateless; runs on the connection's
 * event loop.
 *
 * <p>Implementation notes: MEMORY STATS has Redis 7.4's fields in Redis's order, filled with the
 * store's figures: "allocated" is the store's used memory (live blocks plus index tables), the
 * allocator figures are the slabs taken from the OS; the index overhead per database is one 8-byte
 * slot per key (what MEMORY USAGE counts); figures Roost has no counterpart for (replication
 * backlog, scripts, AOF, client buffers, peak) are 0 or the current value.
 */
public final class MemoryCommands {
  private MemoryCommands() {}

  private static final byte[] SAMPLES = KeyCommands.ascii("SAMPLES");
  private static final long EMPTY_BELOW_BYTES = 5L * 1024 * 1024;
  private static final byte[] DOCTOR_EMPTY =
      ("Hi Sam, this instance is empty or is using very little memory, my issues detector can't be"
              + " used in these conditions. Please, leave for your mission on Earth and fill it"
              + " with some data. The new Sam and I will be back to our programming as soon as I"
              + " finished rebooting.\n")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DOCTOR_OK =
      ("Hi Sam, I can't find any memory issue in your instance. I can only account for what"
              + " occurs on this base.\n")
          .getBytes(StandardCharsets.US_ASCII);

  /** {@code MEMORY USAGE key [SAMPLES count]}: bytes, or nil when missing. */
  public static void usage(Call call) {
    for (int j = 3; j < call.argc(); j++) {
      if (j + 1 < call.argc() && call.argIs(j, SAMPLES)) {
        long samples;
        try {
          samples = call.frame().argLong(j + 1);
        } catch (RespNumberException e) {
          call.reply().error(Errors.NOT_INTEGER);
          return;
        }
        if (samples < 0) {
          call.syntaxError();
          return;
        }
        j++; // values are measured exactly: samples change nothing
      } else {
        call.syntaxError();
        return;
      }
    }
    long bytes = call.db().memoryUsage(call.buf(), call.offset(2), call.length(2));
    if (bytes < 0) {
      call.reply().nullBulk();
    } else {
      call.reply().integer(bytes);
    }
  }

  /** {@code MEMORY STATS}: a map (RESP2: flat array) with Redis's field names. */
  public static void stats(Call call) {
    StoreStats s = call.server().store().stats();
    long used = s.usedMemoryBytes();
    long allocated = s.allocatedMemoryBytes();
    int dbsWithKeys = 0;
    long keys = 0;
    long overhead = 0;
    for (long k : s.keysPerDb()) {
      if (k > 0) {
        dbsWithKeys++;
        keys += k;
        overhead += k * 8;
      }
    }
    long net = Math.max(1, used);
    long dataset = Math.max(0, used - overhead);
    RespWriter r = call.reply();
    r.mapHeader(31 + dbsWithKeys);
    field(r, "peak.allocated", used);
    field(r, "total.allocated", used);
    field(r, "startup.allocated", 0);
    field(r, "replication.backlog", 0);
    field(r, "clients.slaves", 0);
    field(r, "clients.normal", 0);
    field(r, "cluster.links", 0);
    field(r, "aof.buffer", 0);
    field(r, "lua.caches", 0);
    field(r, "functions.caches", 0);
    long[] perDb = s.keysPerDb();
    long[] expires = s.expiresPerDb();
    for (int db = 0; db < perDb.length; db++) {
      if (perDb[db] > 0) {
        r.bulk("db." + db);
        r.mapHeader(2);
        field(r, "overhead.hashtable.main", perDb[db] * 8);
        field(r, "overhead.hashtable.expires", expires[db] * 8);
      }
    }
    field(r, "overhead.db.hashtable.lut", 0);
    field(r, "overhead.db.hashtable.rehashing", 0);
    field(r, "overhead.total", overhead);
    field(r, "db.dict.rehashing.count", 0);
    field(r, "keys.count", keys);
    field(r, "keys.bytes-per-key", keys == 0 ? 0 : used / keys);
    field(r, "dataset.bytes", dataset);
    fieldDouble(r, "dataset.percentage", (float) dataset * 100 / net);
    fieldDouble(r, "peak.percentage", 100.0);
    field(r, "allocator.allocated", used);
    field(r, "allocator.active", allocated);
    field(r, "allocator.resident", allocated);
    field(r, "allocator.muzzy", 0);
    double frag = s.fragmentationRatio();
    fieldDouble(r, "allocator-fragmentation.ratio", frag);
    field(r, "allocator-fragmentation.bytes", allocated - used);
    fieldDouble(r, "allocator-rss.ratio", 1.0);
    field(r, "allocator-rss.bytes", 0);
    fieldDouble(r, "rss-overhead.ratio", 1.0);
    field(r, "rss-overhead.bytes", 0);
    fieldDouble(r, "fragmentation", frag);
    field(r, "fragmentation.bytes", allocated - used);
  }

  private static void field(RespWriter r, String name, long value) {
    r.bulk(name);
    r.integer(value);
  }

  private static void fieldDouble(RespWriter r, String name, double value) {
    r.bulk(name);
    r.doubleValue(value);
  }

  /** {@code MEMORY DOCTOR}: a verbatim text report. */
  public static void doctor(Call call) {
    boolean empty = call.server().store().usedMemoryBytes() < EMPTY_BELOW_BYTES;
    call.reply().verbatim("txt", empty ? DOCTOR_EMPTY : DOCTOR_OK);
  }

  /** {@code MEMORY MALLOC-STATS}: Redis's text for allocators without statistics. */
  public static void mallocStats(Call call) {
    call.reply().bulk("Stats not supported for the current allocator");
  }

  /** {@code MEMORY PURGE}: the store returns freed slabs itself. */
  public static void purge(Call call) {
    call.reply().ok();
  }

  /** {@code MEMORY HELP}. */
  public static void help(Call call) {
    Help.reply(
        call,
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Print this help.");
  }
}
