package io.roost.server.command.hash;

import io.roost.protocol.RespNumberException;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.store.Numbers;
import io.roost.store.Status;
import java.math.BigDecimal;
import org.agrona.DirectBuffer;
import org.agrona.collections.MutableLong;

/**
 * HSET, HMSET, HSETNX, HDEL, HINCRBY, HINCRBYFLOAT. Stateless; arguments reach the store as views
 * of the request buffer, so HSET and HMSET allocate nothing.
 */
final class HashWrites {
  private HashWrites() {}

  /** {@code HSET key field value [field value ...]}: the number of fields added. */
  static void hset(Call call) {
    long added = set(call);
    if (added >= 0) {
      call.reply().integer(added);
    }
  }

  /** {@code HMSET key field value [field value ...]}: {@code +OK}. */
  static void hmset(Call call) {
    if (set(call) >= 0) {
      call.reply().ok();
    }
  }

  /** Sets the pairs; returns the count added, or -1 once an error reply was written. */
  private static long set(Call call) {
    if ((call.argc() & 1) == 1) {
      call.reply().error(Errors.arity(call.spec()));
      return -1;
    }
    DirectBuffer b = call.buf();
    long added = call.db().hset(b, call.offset(1), call.length(1), call.args(), 2, call.argc());
    if (added < 0) {
      call.storeError((int) added);
      return -1;
    }
    return added;
  }

  /** {@code HSETNX key field value}. */
  static void hsetnx(Call call) {
    long r = call.db().hsetnx(call.buf(), call.offset(1), call.length(1), call.args(), 2);
    if (r < 0) {
      call.storeError((int) r);
    } else {
      call.reply().integer(r);
    }
  }

  /** {@code HDEL key field [field ...]}. */
  static void hdel(Call call) {
    long r =
        call.db().hdel(call.buf(), call.offset(1), call.length(1), call.args(), 2, call.argc());
    if (r < 0) {
      call.storeError((int) r);
    } else {
      call.reply().integer(r);
    }
  }

  /** {@code HINCRBY key field increment}; keeps the field's TTL. */
  static void hincrby(Call call) {
    long delta;
    try {
      delta = call.frame().argLong(3);
    } catch (RespNumberException e) {
      call.reply().error(Errors.NOT_INTEGER);
      return;
    }
    DirectBuffer b = call.buf();
    MutableLong out = call.scratchLong();
    int st =
        call.db()
            .hincrBy(
                b, call.offset(1), call.length(1), b, call.offset(2), call.length(2), delta, out);
    if (st == Status.OK) {
      call.reply().integer(out.get());
    } else {
      call.storeError(st);
    }
  }

  /**
   * {@code HINCRBYFLOAT key field increment}: the new value as a bulk string (RESP2 and RESP3). The
   * increment is checked first, as Redis does, so its errors are not the hash-value ones.
   */
  static void hincrbyfloat(Call call) {
    DirectBuffer b = call.buf();
    BigDecimal increment = Numbers.parseLongDouble(b, call.offset(3), call.length(3));
    if (increment == null) {
      call.reply().error(Errors.NOT_FLOAT);
      return;
    }
    if (Numbers.isInfinite(increment)) {
      call.reply().error("ERR value is NaN or Infinity");
      return;
    }
    int mark = HashArgs.mark(call);
    int st =
        call.db()
            .hincrByFloat(
                b,
                call.offset(1),
                call.length(1),
                b,
                call.offset(2),
                call.length(2),
                b,
                call.offset(3),
                call.length(3),
                call.bulkSink());
    HashArgs.finish(call, mark, st);
  }
}
