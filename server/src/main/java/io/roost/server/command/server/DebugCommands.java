package io.roost.server.command.server;

import io.roost.cluster.SlotHash;
import io.roost.server.command.Call;
import io.roost.store.Database;
import io.roost.store.Status;
import io.roost.store.ValueType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code DEBUG DIGEST}, {@code DEBUG DIGEST-VALUE} and Roost's {@code DEBUG DIGEST-SLOTS}: digests
 * of this node's own copy of the data (never routed), so that operators and tests can check that
 * the owners of a slot hold the same contents.
 *
 * <p>A key's digest covers its database, name, type, value and absolute expiry; a hash's fields are
 * taken in sorted order, so two copies with different encodings digest alike. A slot's digest is
 * the sum of its keys' digests (order-free). The digests have Redis's shape (40 hex digits, all
 * zeros for nothing) but not its values.
 */
public final class DebugCommands {
  private static final String ZERO = "0".repeat(40);

  private DebugCommands() {}

  /** DEBUG DIGEST: one digest of every key of every database here. */
  public static void digest(Call call) {
    long[] slots = slotDigests(call);
    MessageDigest sha = sha1();
    boolean any = false;
    for (long d : slots) {
      any |= d != 0;
      for (int i = 0; i < 8; i++) {
        sha.update((byte) (d >>> (8 * i)));
      }
    }
    call.reply().bulk(any ? HexFormat.of().formatHex(sha.digest()) : ZERO);
  }

  /** DEBUG DIGEST-VALUE key [key ...]: each key's digest in the selected database. */
  public static void digestValue(Call call) {
    call.reply().arrayHeader(call.argc() - 2);
    for (int i = 2; i < call.argc(); i++) {
      byte[] key = call.argBytes(i);
      long d = keyDigest(call.db(), call.client().db, key);
      call.reply().bulk(d == 0 ? ZERO : String.format("%040x", d));
    }
  }

  /**
   * DEBUG DIGEST-SLOTS: {@code [slot, digest, ...]} for every slot of which this node holds a key,
   * over all databases, in slot order.
   */
  public static void digestSlots(Call call) {
    long[] slots = slotDigests(call);
    int n = 0;
    for (long d : slots) {
      n += d != 0 ? 1 : 0;
    }
    call.reply().arrayHeader(2 * n);
    for (int slot = 0; slot < slots.length; slot++) {
      if (slots[slot] != 0) {
        call.reply().integer(slot);
        call.reply().bulk(String.format("%016x", slots[slot]));
      }
    }
  }

  private static long[] slotDigests(Call call) {
    long[] slots = new long[SlotHash.SLOT_COUNT];
    UnsafeBuffer all = new UnsafeBuffer("*".getBytes(StandardCharsets.US_ASCII));
    int dbs = call.server().store().databaseCount();
    for (int db = 0; db < dbs; db++) {
      Database database = call.server().store().database(db);
      List<byte[]> keys = new ArrayList<>();
      database.keys(all, 0, 1, (b, o, l) -> keys.add(bytes(b, o, l)));
      for (byte[] key : keys) {
        slots[SlotHash.slot(key)] += keyDigest(database, db, key);
      }
    }
    return slots;
  }

  /** The key's digest, or 0 when it does not exist. */
  private static long keyDigest(Database db, int dbIndex, byte[] key) {
    UnsafeBuffer k = new UnsafeBuffer(key);
    MessageDigest sha = sha1();
    sha.update((byte) dbIndex);
    sha.update(key);
    List<byte[]> parts = new ArrayList<>();
    if (db.get(k, 0, key.length, (b, o, l) -> parts.add(bytes(b, o, l))) == Status.OK) {
      sha.update((byte) ValueType.STRING.id);
      sha.update(parts.get(0));
    } else if (db.hgetAll(
            k, 0, key.length, Database.HASH_BOTH, (b, o, l) -> parts.add(bytes(b, o, l)))
        == Status.OK) {
      if (parts.isEmpty()) {
        return 0;
      }
      sha.update((byte) ValueType.HASH.id);
      List<byte[]> fields = new ArrayList<>();
      for (int i = 0; i + 1 < parts.size(); i += 2) {
        byte[] pair = new byte[parts.get(i).length + 1 + parts.get(i + 1).length];
        System.arraycopy(parts.get(i), 0, pair, 0, parts.get(i).length);
        System.arraycopy(
            parts.get(i + 1), 0, pair, parts.get(i).length + 1, parts.get(i + 1).length);
        fields.add(pair);
      }
      fields.sort(java.util.Arrays::compare);
      for (byte[] f : fields) {
        sha.update(f);
        sha.update((byte) 0);
      }
    } else {
      return 0;
    }
    long exp = db.pexpireTime(k, 0, key.length);
    for (int i = 0; i < 8; i++) {
      sha.update((byte) (exp >>> (8 * i)));
    }
    byte[] h = sha.digest();
    long d = 0;
    for (int i = 0; i < 8; i++) {
      d = (d << 8) | (h[i] & 0xFF);
    }
    return d == 0 ? 1 : d;
  }

  private static byte[] bytes(DirectBuffer b, int o, int l) {
    byte[] out = new byte[l];
    b.getBytes(o, out);
    return out;
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
