package io.roost.server.command.string;

import io.roost.protocol.RespNumberException;
import io.roost.protocol.RespWriter;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.store.Status;
import io.roost.store.ValueSink;
import org.agrona.DirectBuffer;

/**
 * {@code LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]}: the longest common
 * subsequence of two strings. Stateless; runs on the connection's event loop.
 *
 * <p>Implementation notes: the two values are copied out of the store (two reads, not one atomic
 * snapshot) and the dynamic-programming table is computed here, on the heap, exactly as Redis's
 * {@code lcsCommand} does, including the walk back that emits match ranges from the end of the
 * strings towards their start. The table is bounded by {@code proto-max-bulk-len} as in Redis and
 * additionally by a quarter of the JVM heap (reported as Redis's allocation failure).
 */
public final class Lcs {
  private Lcs() {}

  private static final byte[] IDX = StringCommands.ascii("IDX");
  private static final byte[] LEN = StringCommands.ascii("LEN");
  private static final byte[] WITHMATCHLEN = StringCommands.ascii("WITHMATCHLEN");
  private static final byte[] MINMATCHLEN = StringCommands.ascii("MINMATCHLEN");
  private static final byte[] EMPTY = new byte[0];

  /** Copies one value out of the store (cold path). */
  private static final class Capture implements ValueSink {
    byte[] value = EMPTY;

    @Override
    public void value(DirectBuffer buffer, int offset, int length) {
      value = new byte[length];
      buffer.getBytes(offset, value);
    }
  }

  public static void lcs(Call call) {
    Capture a = new Capture();
    Capture b = new Capture();
    int sa = call.db().get(call.buf(), call.offset(1), call.length(1), a);
    int sb = call.db().get(call.buf(), call.offset(2), call.length(2), b);
    if (sa == Status.WRONGTYPE || sb == Status.WRONGTYPE) {
      call.reply().error("ERR The specified keys must contain string values");
      return;
    }
    boolean getIdx = false;
    boolean getLen = false;
    boolean withMatchLen = false;
    long minMatchLen = 0;
    for (int j = 3; j < call.argc(); j++) {
      boolean more = j < call.argc() - 1;
      if (call.argIs(j, IDX)) {
        getIdx = true;
      } else if (call.argIs(j, LEN)) {
        getLen = true;
      } else if (call.argIs(j, WITHMATCHLEN)) {
        withMatchLen = true;
      } else if (more && call.argIs(j, MINMATCHLEN)) {
        try {
          minMatchLen = Math.max(0, call.frame().argLong(j + 1));
        } catch (RespNumberException e) {
          call.reply().error(Errors.NOT_INTEGER);
          return;
        }
        j++;
      } else {
        call.syntaxError();
        return;
      }
    }
    if (getIdx && getLen) {
      call.reply().error("ERR If you want both the length and indexes, please just use IDX.");
      return;
    }
    reply(call, a.value, b.value, getIdx, getLen, withMatchLen, minMatchLen);
  }

  private static void reply(
      Call call,
      byte[] a,
      byte[] b,
      boolean getIdx,
      boolean getLen,
      boolean withMatchLen,
      long minMatchLen) {
    int alen = a.length;
    int blen = b.length;
    long cells = (long) (alen + 1) * (blen + 1);
    long bytes = cells * Integer.BYTES;
    if (bytes > call.server().settings().protoMaxBulkLen) {
      call.reply()
          .error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
      return;
    }
    if (cells > Integer.MAX_VALUE - 8 || bytes > Runtime.getRuntime().maxMemory() / 4) {
      call.reply().error("ERR Insufficient memory, failed allocating transient memory for LCS");
      return;
    }
    int w = blen + 1;
    int[] lcs = new int[(int) cells];
    for (int i = 1; i <= alen; i++) {
      for (int j = 1; j <= blen; j++) {
        if (a[i - 1] == b[j - 1]) {
          lcs[i * w + j] = lcs[(i - 1) * w + j - 1] + 1;
        } else {
          lcs[i * w + j] = Math.max(lcs[(i - 1) * w + j], lcs[i * w + j - 1]);
        }
      }
    }
    int total = lcs[alen * w + blen];
    RespWriter r = call.reply();
    if (getLen) {
      r.integer(total);
      return;
    }
    byte[] result = new byte[total];
    int idx = total;
    // Match ranges are buffered: Redis defers the array length, we count first.
    long[] ranges = new long[16];
    int count = 0;
    int aStart = alen; // alen: no range open
    int aEnd = 0;
    int bStart = 0;
    int bEnd = 0;
    int i = alen;
    int j = blen;
    while (i > 0 && j > 0) {
      boolean emit = false;
      if (a[i - 1] == b[j - 1]) {
        result[idx - 1] = a[i - 1];
        if (aStart == alen) {
          aStart = i - 1;
          aEnd = i - 1;
          bStart = j - 1;
          bEnd = j - 1;
        } else if (aStart == i && bStart == j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart == 0 || bStart == 0) {
          emit = true;
        }
        idx--;
        i--;
        j--;
      } else {
        if (lcs[(i - 1) * w + j] > lcs[i * w + j - 1]) {
          i--;
        } else {
          j--;
        }
        if (aStart != alen) {
          emit = true;
        }
      }
      long matchLen = (long) aEnd - aStart + 1;
      if (emit) {
        if (getIdx && (minMatchLen == 0 || matchLen >= minMatchLen)) {
          if (count * 4 + 4 > ranges.length) {
            ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
          }
          ranges[count * 4] = aStart;
          ranges[count * 4 + 1] = aEnd;
          ranges[count * 4 + 2] = bStart;
          ranges[count * 4 + 3] = bEnd;
          count++;
        }
        aStart = alen;
      }
    }
    if (!getIdx) {
      r.bulk(result);
      return;
    }
    r.mapHeader(2);
    r.bulk("matches");
    r.arrayHeader(count);
    for (int k = 0; k < count; k++) {
      long as = ranges[k * 4];
      long ae = ranges[k * 4 + 1];
      r.arrayHeader(withMatchLen ? 3 : 2);
      r.arrayHeader(2);
      r.integer(as);
      r.integer(ae);
      r.arrayHeader(2);
      r.integer(ranges[k * 4 + 2]);
      r.integer(ranges[k * 4 + 3]);
      if (withMatchLen) {
        r.integer(ae - as + 1);
      }
    }
    r.bulk("len");
    r.integer(total);
  }
}
