package io.roost.server.command.hash;

import io.netty.buffer.ByteBuf;
import io.roost.protocol.RespWriter;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.store.ValueSink;
import io.roost.store.ValueType;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * {@code HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]}.
 *
 * <p>Implementation notes: the store returns a packed (listpack) hash whole with cursor 0, as Redis
 * does, and pages through an indexed one about COUNT fields at a time with Redis's reverse-binary
 * cursor. The number of matches is known only afterwards: the elements are written to a pooled
 * scratch buffer first and copied behind the headers. As Redis: the cursor is checked first, a
 * missing key answers an empty scan whatever the options, and the options are checked after the
 * type.
 */
final class HashScan {
  private HashScan() {}

  private static final byte[] EMPTY_SCAN =
      "*2\r\n$1\r\n0\r\n*0\r\n".getBytes(StandardCharsets.US_ASCII);

  static void hscan(Call call) {
    if (!validCursor(call, 2)) {
      call.reply().error("ERR invalid cursor");
      return;
    }
    long cursor = Long.parseUnsignedLong(call.argString(2));
    long count = 10;
    int pattern = -1;
    boolean noValues = false;
    String error = null;
    for (int i = 3; i < call.argc() && error == null; ) {
      int left = call.argc() - i;
      if (call.argIs(i, HashArgs.COUNT) && left >= 2) {
        if (!HashArgs.isLong(call, i + 1)) {
          error = Errors.NOT_INTEGER;
        } else if (call.argLong(i + 1, 0) < 1) {
          error = Errors.SYNTAX;
        } else {
          count = call.argLong(i + 1, 10);
        }
        i += 2;
      } else if (call.argIs(i, HashArgs.MATCH) && left >= 2) {
        pattern = i + 1;
        i += 2;
      } else if (call.argIs(i, HashArgs.NOVALUES)) {
        noValues = true;
        i++;
      } else {
        error = Errors.SYNTAX;
      }
    }
    DirectBuffer b = call.buf();
    if (error != null) {
      ValueType t = call.db().type(b, call.offset(1), call.length(1));
      if (t == ValueType.NONE) {
        call.reply().target().writeBytes(EMPTY_SCAN);
      } else {
        call.reply().error(t == ValueType.HASH ? error : Errors.WRONGTYPE);
      }
      return;
    }
    RespWriter reply = call.reply();
    ByteBuf out = reply.target();
    ByteBuf elements = out.alloc().buffer();
    try {
      CountingSink sink = new CountingSink(call.bulkSink());
      long next;
      reply.target(elements);
      try {
        next =
            call.db()
                .hscan(
                    b,
                    call.offset(1),
                    call.length(1),
                    cursor,
                    (int) Math.min(Integer.MAX_VALUE, count),
                    pattern < 0 ? null : b,
                    pattern < 0 ? 0 : call.offset(pattern),
                    pattern < 0 ? 0 : call.length(pattern),
                    noValues,
                    sink);
      } finally {
        reply.target(out);
      }
      if (next < 0) {
        call.storeError((int) next);
        return;
      }
      reply.arrayHeader(2);
      reply.bulk(Long.toUnsignedString(next));
      reply.arrayHeader(sink.count);
      out.writeBytes(elements);
    } finally {
      elements.release();
    }
  }

  /** A cursor is an unsigned 64-bit decimal ({@code string2ull}). */
  private static boolean validCursor(Call call, int i) {
    if (HashArgs.isLong(call, i)) {
      return call.argLong(i, -1) >= 0;
    }
    String s = call.argString(i);
    if (s.isEmpty() || s.length() > 20) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) < '0' || s.charAt(k) > '9') {
        return false;
      }
    }
    try {
      Long.parseUnsignedLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Owned by the event loop running one HSCAN: counts the elements it passes on. */
  private static final class CountingSink implements ValueSink {
    private final ValueSink target;
    int count;

    CountingSink(ValueSink target) {
      this.target = target;
    }

    @Override
    public void value(DirectBuffer buffer, int offset, int length) {
      count++;
      target.value(buffer, offset, length);
    }
  }
}
