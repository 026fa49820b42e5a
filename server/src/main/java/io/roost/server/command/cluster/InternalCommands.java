package io.roost.server.command.cluster;

import static io.roost.server.command.CommandSpec.command;

import io.roost.cluster.ClusterNode;
import io.roost.cluster.SlotHash;
import io.roost.cluster.SlotSet;
import io.roost.server.command.AclCategory;
import io.roost.server.command.Call;
import io.roost.server.command.CommandSpec;
import io.roost.server.command.Errors;
import io.roost.server.command.Flag;
import io.roost.server.command.keys.ScanCommands;
import io.roost.store.Database;
import io.roost.store.RecordDescriptor;
import io.roost.store.Status;
import io.roost.store.Store;
import io.roost.store.ValueSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.collections.MutableLong;

/**
 * The commands nodes send each other, through {@link ClusterNode#forward} (to the primary of one of
 * the slots they name) or this node's internal client, and nothing else can run: they are flagged
 * {@link Flag#INTERNAL}, so any other client gets Redis's unknown-command error and {@code COMMAND}
 * leaves them out. Replies are RESP2. Stateless; handlers run on the internal client's event loop.
 *
 * <p>Whole-cluster keyspace parts ({@link ClusterKeyspace} asks them): the first argument is a slot
 * set ({@link SlotSet}, 2048 bytes); a node answers only when it serves reads of every slot in it
 * ({@link ClusterNode#servesReads}), else {@value #NOT_SERVING}, and counts or lists only the keys
 * of those slots, so a partition of the slots over the nodes counts every key once.
 *
 * <ul>
 *   <li>{@code ROOST.KEYCOUNT slots} — per database, keys and keys with a TTL: {@code [k0, e0, k1,
 *       e1, ...]} (per-slot counters, no record is visited).
 *   <li>{@code ROOST.KEYS slots pattern} — the matching keys of the selected database.
 *   <li>{@code ROOST.SCAN slots member-id cursor [MATCH p] [COUNT n] [TYPE t]} — one SCAN step of
 *       this node's store keeping the keys of those slots: {@code [next cursor, keys]}. Refused
 *       ({@value #NOT_SERVING}) unless this node is {@code member-id}: the cursor is only valid on
 *       the store that gave it.
 *   <li>{@code ROOST.RANDOMKEY slots} — {@code [keys in those slots, a random one or nil]}.
 * </ul>
 *
 * <p>Record moves ({@code net.CrossSlotTransfer} sends them for RENAME, RENAMENX and COPY whose
 * keys live in different slots); keyed, so they run on the key's primary like any forwarded
 * command:
 *
 * <ul>
 *   <li>{@code ROOST.DUMP key} — the key's raw record ({@code Database.dumpRecord}: type, encoding,
 *       value, absolute expiry) as a bulk string, or nil.
 *   <li>{@code ROOST.RESTORE key record flags} — creates the key from the record: 1, or 0 when it
 *       exists and flags lack {@code Database.RESTORE_REPLACE}; replicated as a RESTORE effect.
 *   <li>{@code ROOST.DELIFSAME key record} — deletes the key only while it still holds that record:
 *       1 deleted, 0 missing or changed.
 * </ul>
 */
public final class InternalCommands {
  private InternalCommands() {}

  /** A part asked of a node that does not serve reads of every slot of it: ask again later. */
  public static final String NOT_SERVING = "TRYAGAIN Slots moved, retry";

  public static final byte[] KEYCOUNT = ascii("ROOST.KEYCOUNT");
  public static final byte[] KEYS = ascii("ROOST.KEYS");
  public static final byte[] SCAN = ascii("ROOST.SCAN");
  public static final byte[] RANDOMKEY = ascii("ROOST.RANDOMKEY");
  public static final byte[] DUMP = ascii("ROOST.DUMP");
  public static final byte[] RESTORE = ascii("ROOST.RESTORE");
  public static final byte[] DELIFSAME = ascii("ROOST.DELIFSAME");

  /** Random draws of the whole store before RANDOMKEY's part walks it for a key in the set. */
  static final int RANDOM_DRAWS = 32;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Specs of the internal commands. */
  public static List<CommandSpec> specs() {
    return List.of(
        internal("roost.keycount", 2, Flag.READONLY)
            .doc("0.1.0", "O(slots * shards)", "Counts the keys of some slots (internal).")
            .handler(InternalCommands::keyCount)
            .build(),
        internal("roost.keys", 3, Flag.READONLY)
            .doc("0.1.0", "O(N)", "Lists the matching keys of some slots (internal).")
            .handler(InternalCommands::keys)
            .build(),
        internal("roost.scan", -4, Flag.READONLY)
            .doc("0.1.0", "O(1) per call", "Iterates the keys of some slots (internal).")
            .handler(InternalCommands::scan)
            .build(),
        internal("roost.randomkey", 2, Flag.READONLY)
            .doc("0.1.0", "O(1)", "Returns a random key of some slots (internal).")
            .handler(InternalCommands::randomKey)
            .build(),
        internal("roost.dump", 2, Flag.READONLY)
            .keys(1, 1, 1)
            .doc("0.1.0", "O(1)", "Returns a key's raw record (internal).")
            .handler(InternalCommands::dump)
            .build(),
        internal("roost.restore", 4, Flag.WRITE, Flag.DENYOOM)
            .keys(1, 1, 1)
            .doc("0.1.0", "O(1)", "Creates a key from a raw record (internal).")
            .handler(InternalCommands::restore)
            .build(),
        internal("roost.delifsame", 3, Flag.WRITE)
            .keys(1, 1, 1)
            .doc("0.1.0", "O(1)", "Deletes a key while it holds a raw record (internal).")
            .handler(InternalCommands::deleteIfSame)
            .build());
  }

  private static CommandSpec.Builder internal(String name, int arity, Flag... flags) {
    Flag[] all = java.util.Arrays.copyOf(flags, flags.length + 1);
    all[flags.length] = Flag.INTERNAL;
    return command(name, arity).flags(all).acl(AclCategory.SLOW).group("cluster");
  }

  /** The slot set in argument {@code arg}, or null after replying why this node cannot answer. */
  private static long[] servedSlots(Call call, int arg) {
    ClusterNode node = call.server().cluster();
    if (node == null) {
      call.reply().error(Errors.CLUSTER_DISABLED);
      return null;
    }
    long[] set = SlotSet.decode(call.argBytes(arg));
    if (set == null) {
      call.reply().error("ERR slot set length=" + call.length(arg));
      return null;
    }
    for (int w = 0; w < set.length; w++) {
      long bits = set[w];
      while (bits != 0) {
        if (!node.servesReads((w << 6) + Long.numberOfTrailingZeros(bits))) {
          call.reply().error(NOT_SERVING);
          return null;
        }
        bits &= bits - 1;
      }
    }
    return set;
  }

  /** {@code ROOST.KEYCOUNT slots}. */
  public static void keyCount(Call call) {
    long[] set = servedSlots(call, 1);
    if (set == null) {
      return;
    }
    Store store = call.server().store();
    long[] out = new long[2];
    call.reply().arrayHeader(2L * store.databaseCount());
    for (int db = 0; db < store.databaseCount(); db++) {
      store.database(db).countInSlots(set, out);
      call.reply().integer(out[0]);
      call.reply().integer(out[1]);
    }
  }

  /** {@code ROOST.KEYS slots pattern}. */
  public static void keys(Call call) {
    long[] set = servedSlots(call, 1);
    if (set != null) {
      ScanCommands.keysIn(call, 2, set);
    }
  }

  /** {@code ROOST.SCAN slots member-id cursor [options]}. */
  public static void scan(Call call) {
    ClusterNode node = call.server().cluster();
    if (node != null && !node.myId().equals(call.argString(2))) {
      call.reply().error(NOT_SERVING);
      return;
    }
    long[] set = servedSlots(call, 1);
    if (set == null) {
      return;
    }
    MutableLong cursor = call.scratchLong();
    if (!ScanCommands.parseCursor(call, 3, cursor)) {
      call.reply().error("ERR invalid cursor");
      return;
    }
    ScanCommands.Options options = ScanCommands.options(call, 4);
    if (options == null) {
      return;
    }
    // The store also holds the slots this node backs up: ask for more keys than COUNT so that a
    // step still returns about COUNT of the asked slots.
    int owned = 0;
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      owned += node.isOwner(slot) ? 1 : 0;
    }
    long factor = Math.max(1, Math.ceilDiv(owned, Math.max(1, SlotSet.cardinality(set))));
    ScanCommands.scanIn(call, cursor.get(), options, set, factor);
  }

  /** {@code ROOST.RANDOMKEY slots}. */
  public static void randomKey(Call call) {
    long[] set = servedSlots(call, 1);
    if (set == null) {
      return;
    }
    Database db = call.db();
    long[] count = new long[2];
    db.countInSlots(set, count);
    byte[] key = count[0] == 0 ? null : randomKeyIn(db, set);
    call.reply().arrayHeader(2);
    call.reply().integer(count[0]);
    if (key == null) {
      call.reply().nullBulk();
    } else {
      call.reply().bulk(key);
    }
  }

  /** A random key whose slot is in {@code set}: a few draws, then the first one a walk finds. */
  static byte[] randomKeyIn(Database db, long[] set) {
    byte[][] found = new byte[1][];
    ValueSink sink =
        (buffer, offset, length) -> {
          if (SlotSet.containsKey(set, buffer, offset, length)) {
            byte[] k = new byte[length];
            buffer.getBytes(offset, k);
            found[0] = k;
          }
        };
    for (int i = 0; i < RANDOM_DRAWS && found[0] == null; i++) {
      if (db.randomKey(sink) != Status.OK) {
        return null;
      }
    }
    long cursor = 0;
    while (found[0] == null) {
      cursor = db.scan(cursor, null, 0, 0, null, 64, sink);
      if (cursor == 0) {
        break;
      }
    }
    return found[0];
  }

  /** {@code ROOST.DUMP key}. */
  public static void dump(Call call) {
    if (call.db().dumpRecord(call.buf(), call.offset(1), call.length(1), call.bulkSink())
        != Status.OK) {
      call.reply().nullBulk();
    }
  }

  /** {@code ROOST.RESTORE key record flags}. */
  public static void restore(Call call) {
    long flags = call.argLong(3, -1);
    if (flags < 0 || !wellFormed(call, 2)) {
      call.reply().error("ERR malformed record or flags");
      return;
    }
    int st =
        call.db()
            .restoreRecord(
                call.buf(),
                call.offset(1),
                call.length(1),
                call.buf(),
                call.offset(2),
                call.length(2),
                (int) flags & (Database.RESTORE_REPLACE | Database.RESTORE_RENAMED));
    if (st < 0) {
      call.storeError(st);
    } else {
      call.reply().integer(st == Status.OK ? 1 : 0);
    }
  }

  /** {@code ROOST.DELIFSAME key record}. */
  public static void deleteIfSame(Call call) {
    if (!wellFormed(call, 2)) {
      call.reply().error("ERR malformed record");
      return;
    }
    call.reply()
        .integer(
            call.db()
                .deleteIfSame(
                    call.buf(),
                    call.offset(1),
                    call.length(1),
                    call.buf(),
                    call.offset(2),
                    call.length(2)));
  }

  private static boolean wellFormed(Call call, int arg) {
    return RecordDescriptor.wellFormed(call.buf(), call.offset(arg), call.length(arg));
  }
}
