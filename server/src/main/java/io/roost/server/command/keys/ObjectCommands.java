package io.roost.server.command.keys;

import io.roost.server.command.Call;
import io.roost.server.command.Help;
import io.roost.store.Encoding;
import io.roost.store.EvictionPolicy;
import io.roost.store.Status;
import io.roost.store.ValueSink;
import org.agrona.DirectBuffer;

/**
 * {@code OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT|HELP}. Stateless; runs on the connection's event
 * loop. A missing key is a nil reply, as in Redis; policy errors come after the key lookup.
 */
public final class ObjectCommands {
  private ObjectCommands() {}

  private static final String LFU_NOT_SELECTED =
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that"
          + " when switching between policies at runtime LRU and LFU data will take some time to"
          + " adjust.";
  private static final String LFU_SELECTED =
      "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when"
          + " switching between policies at runtime LRU and LFU data will take some time to"
          + " adjust.";

  /** Redis's {@code OBJ_SHARED_REFCOUNT}: the refcount of shared integers 0..9999. */
  private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

  /** {@code OBJECT ENCODING key}. */
  public static void encoding(Call call) {
    Encoding e = call.db().objectEncoding(call.buf(), call.offset(2), call.length(2));
    if (e == null) {
      call.reply().nullBulk();
    } else {
      call.reply().bulk(e.nameBytes());
    }
  }

  /** {@code OBJECT FREQ key}. */
  public static void freq(Call call) {
    long r = call.db().objectFreq(call.buf(), call.offset(2), call.length(2));
    policyReply(call, r, LFU_NOT_SELECTED);
  }

  /** {@code OBJECT IDLETIME key}. */
  public static void idleTime(Call call) {
    long r = call.db().objectIdleTime(call.buf(), call.offset(2), call.length(2));
    policyReply(call, r, LFU_SELECTED);
  }

  private static void policyReply(Call call, long r, String policyError) {
    if (r == Status.NO_SUCH_KEY) {
      call.reply().nullBulk();
    } else if (r == Status.WRONG_POLICY) {
      if (call.db().exists(call.buf(), call.offset(2), call.length(2)) == 0) {
        call.reply().nullBulk();
      } else {
        call.reply().error(policyError);
      }
    } else if (r < 0) {
      call.storeError((int) r);
    } else {
      call.reply().integer(r);
    }
  }

  /**
   * {@code OBJECT REFCOUNT key}: 1, or {@code INT_MAX} for the integers 0..9999 Redis shares unless
   * an LRU/LFU policy is set.
   */
  public static void refCount(Call call) {
    Encoding e = call.db().objectEncoding(call.buf(), call.offset(2), call.length(2));
    if (e == null) {
      call.reply().nullBulk();
      return;
    }
    long refs = 1;
    EvictionPolicy p = call.server().store().evictionPolicy();
    boolean sharing =
        p != EvictionPolicy.ALLKEYS_LRU && p != EvictionPolicy.VOLATILE_LRU && !p.lfu();
    if (e == Encoding.INT && sharing) {
      SmallInt v = new SmallInt();
      call.db().get(call.buf(), call.offset(2), call.length(2), v);
      if (v.small) {
        refs = SHARED_REFCOUNT;
      }
    }
    call.reply().integer(refs);
  }

  /** Whether a value is one of the integers 0..9999 (cold path). */
  private static final class SmallInt implements ValueSink {
    boolean small;

    @Override
    public void value(DirectBuffer buffer, int offset, int length) {
      if (length < 1 || length > 4 || buffer.getByte(offset) == '-') {
        return;
      }
      for (int i = 0; i < length; i++) {
        byte b = buffer.getByte(offset + i);
        if (b < '0' || b > '9') {
          return;
        }
      }
      small = true;
    }
  }

  /** {@code OBJECT HELP}. */
  public static void help(Call call) {
    Help.reply(
        call,
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Print this help.");
  }
}
