package io.roost.server.command.hash;

import io.roost.protocol.RespNumberException;
import io.roost.protocol.RespWriter;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.store.Status;
import io.roost.store.ValueSink;
import org.agrona.DirectBuffer;

/**
 * {@code HRANDFIELD key [count [WITHVALUES]]}. A positive count returns distinct fields, a negative
 * one may repeat them; with WITHVALUES, RESP3 gets an array of [field, value] pairs and RESP2 a
 * flat array, as Redis 7.4 replies.
 */
final class HashRandField {
  private HashRandField() {}

  static void hrandfield(Call call) {
    DirectBuffer b = call.buf();
    if (call.argc() == 2) {
      int st =
          call.db().hrandField(b, call.offset(1), call.length(1), false, 0, false, call.bulkSink());
      if (st == Status.NIL) {
        call.reply().nullBulk();
      } else if (st < 0) {
        call.storeError(st);
      }
      return;
    }
    long count;
    try {
      count = call.frame().argLong(2);
    } catch (RespNumberException e) {
      call.reply().error(Errors.NOT_INTEGER);
      return;
    }
    if (count == Long.MIN_VALUE) {
      call.reply()
          .error(
              "ERR value is out of range, value must between "
                  + -Long.MAX_VALUE
                  + " and "
                  + Long.MAX_VALUE);
      return;
    }
    if (call.argc() > 4 || (call.argc() == 4 && !call.argIs(3, HashArgs.WITHVALUES))) {
      call.syntaxError();
      return;
    }
    boolean withValues = call.argc() == 4;
    if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
      call.reply().error("ERR value is out of range");
      return;
    }
    ValueSink sink =
        withValues && call.reply().protocol() == 3
            ? new PairArraySink(call.reply(), call.bulkSink())
            : call.bulkSink();
    int mark = HashArgs.mark(call);
    int st = call.db().hrandField(b, call.offset(1), call.length(1), true, count, withValues, sink);
    HashArgs.finish(call, mark, st);
  }

  /**
   * Owned by the event loop running one HRANDFIELD: turns the store's flat field, value, field,
   * value... into RESP3's array of two-element arrays.
   */
  static final class PairArraySink implements ValueSink {
    private final RespWriter reply;
    private final ValueSink values;
    private boolean nextIsField = true;

    PairArraySink(RespWriter reply, ValueSink values) {
      this.reply = reply;
      this.values = values;
    }

    @Override
    public void arrayStart(int count) {
      reply.arrayHeader(count / 2);
    }

    @Override
    public void value(DirectBuffer buffer, int offset, int length) {
      if (nextIsField) {
        reply.arrayHeader(2);
      }
      nextIsField = !nextIsField;
      values.value(buffer, offset, length);
    }
  }
}
