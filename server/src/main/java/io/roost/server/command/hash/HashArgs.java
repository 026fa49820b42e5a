package io.roost.server.command.hash;

import io.roost.protocol.RespNumberException;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.command.StoreErrors;
import io.roost.store.Args;
import io.roost.store.Database;
import io.roost.store.Status;
import io.roost.store.ValueSink;
import io.roost.store.ValueType;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * Option tokens, error texts and argument parsing shared by the hash commands. Stateless.
 *
 * <p>Implementation notes: Redis looks the key up and checks its type before it parses the options
 * of the field-TTL commands, so a malformed call on a key of another type answers {@code
 * WRONGTYPE}. Here the options are parsed first (no extra lookup on the happy path) and {@link
 * #parseError} looks the type up only when parsing failed, which gives the same replies.
 */
final class HashArgs {
  private HashArgs() {}

  static final byte[] FIELDS = ascii("FIELDS");
  static final byte[] NX = ascii("NX");
  static final byte[] XX = ascii("XX");
  static final byte[] GT = ascii("GT");
  static final byte[] LT = ascii("LT");
  static final byte[] EX = ascii("EX");
  static final byte[] PX = ascii("PX");
  static final byte[] EXAT = ascii("EXAT");
  static final byte[] PXAT = ascii("PXAT");
  static final byte[] PERSIST = ascii("PERSIST");
  static final byte[] KEEPTTL = ascii("KEEPTTL");
  static final byte[] FNX = ascii("FNX");
  static final byte[] FXX = ascii("FXX");
  static final byte[] WITHVALUES = ascii("WITHVALUES");
  static final byte[] MATCH = ascii("MATCH");
  static final byte[] COUNT = ascii("COUNT");
  static final byte[] NOVALUES = ascii("NOVALUES");

  static final String FIELDS_MISSING =
      "ERR Mandatory argument FIELDS is missing or not at the right position";
  static final String NUMFIELDS_MISMATCH =
      "ERR The `numfields` parameter must match the number of arguments";
  static final String NUMFIELDS_POSITIVE = "ERR Number of fields must be a positive integer";
  static final String NUMFIELDS_EXPIRE = "ERR Parameter `numFields` should be greater than 0";
  static final String EXPIRE_NEGATIVE = "ERR invalid expire time, must be >= 0";

  /**
   * Largest absolute field expiry Redis accepts, in epoch ms ({@code HFE_MAX_ABS_TIME_MSEC}: the
   * 48-bit ebuckets limit shifted right by two).
   */
  static final long MAX_FIELD_EXPIRE_MS = 0xFFFF_FFFF_FFFFL >> 2;

  /** {@link #expireTime} result: the argument is not an integer. */
  static final long BAD_INTEGER = -1;

  /** {@link #expireTime} result: the argument is negative. */
  static final long BAD_NEGATIVE = -2;

  /** {@link #expireTime} result: the time is past {@link #MAX_FIELD_EXPIRE_MS}. */
  static final long BAD_TOO_LARGE = -3;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** True when argument {@code i} is an integer by Redis's rules. */
  static boolean isLong(Call call, int i) {
    try {
      call.frame().argLong(i);
      return true;
    } catch (RespNumberException e) {
      return false;
    }
  }

  /**
   * Argument {@code i} as an absolute epoch-ms field expiry ({@code parseExpireTime} of t_hash.c):
   * {@code seconds} multiplies by 1000, {@code baseMs} is added (0 for the *AT forms). Returns the
   * time (at least 0) or one of the negative {@code BAD_*} codes; see {@link #expireError}.
   */
  static long expireTime(Call call, int i, boolean seconds, long baseMs) {
    if (!isLong(call, i)) {
      return BAD_INTEGER;
    }
    long v = call.argLong(i, 0);
    if (v < 0) {
      return BAD_NEGATIVE;
    }
    if (seconds) {
      if (v > MAX_FIELD_EXPIRE_MS / 1000) {
        return BAD_TOO_LARGE;
      }
      v *= 1000;
    }
    if (v > MAX_FIELD_EXPIRE_MS - baseMs) {
      return BAD_TOO_LARGE;
    }
    return v + baseMs;
  }

  /**
   * {@link #expireTime}, replying the error through {@link #parseError} when the argument is bad;
   * returns the time, or a negative value once the error is replied.
   */
  static long expireTimeOrReply(Call call, int i, boolean seconds, long baseMs) {
    long atMs = expireTime(call, i, seconds, baseMs);
    if (atMs < 0) {
      parseError(call, expireError(call, atMs));
    }
    return atMs;
  }

  /** The error text of a negative {@link #expireTime} result. */
  static String expireError(Call call, long code) {
    if (code == BAD_INTEGER) {
      return Errors.NOT_INTEGER;
    }
    if (code == BAD_NEGATIVE) {
      return EXPIRE_NEGATIVE;
    }
    return StoreErrors.text(Status.INVALID_EXPIRE, call.spec());
  }

  /**
   * Checks {@code FIELDS numfields field...} with the token at {@code at} and the fields running to
   * the last argument; returns true when well formed, else replies the error through {@link
   * #parseError} and returns false. {@code badCount} is the command's text for a count that is not
   * a positive integer.
   */
  static boolean checkFields(Call call, int at, String badCount) {
    String error = fieldsError(call, at, badCount);
    if (error != null) {
      parseError(call, error);
    }
    return error == null;
  }

  private static String fieldsError(Call call, int at, String badCount) {
    if (at >= call.argc() || !call.argIs(at, FIELDS)) {
      return FIELDS_MISSING;
    }
    if (at + 1 >= call.argc() || !isLong(call, at + 1)) {
      return badCount;
    }
    long n = call.argLong(at + 1, 0);
    if (n < 1) {
      return badCount;
    }
    if (n != call.argc() - at - 2) {
      return NUMFIELDS_MISMATCH;
    }
    return null;
  }

  /**
   * Replies {@code error}, or WRONGTYPE when the key holds another type (Redis checks it first).
   */
  static void parseError(Call call, String error) {
    ValueType t = call.db().type(call.buf(), call.offset(1), call.length(1));
    call.reply().error(t != ValueType.NONE && t != ValueType.HASH ? Errors.WRONGTYPE : error);
  }

  /**
   * Ends a call whose store operation may have streamed part of a reply before failing: on an error
   * status the partial reply from {@code mark} is dropped and the error written instead.
   */
  static void finish(Call call, int mark, long status) {
    if (status < 0) {
      call.reply().target().writerIndex(mark);
      call.storeError((int) status);
    }
  }

  /**
   * Runs {@code op} on the key (argument 1) and the fields from argument {@code from} to the last,
   * streaming its values into the reply; ends the call with {@link #finish}.
   */
  static void streamFields(Call call, int from, FieldsOperation op) {
    int mark = mark(call);
    long st =
        op.apply(
            call.db(),
            call.buf(),
            call.offset(1),
            call.length(1),
            call.args(),
            from,
            call.argc(),
            call.bulkSink());
    finish(call, mark, st);
  }

  /** A store operation on one key's fields that streams values, e.g. {@link Database#hmget}. */
  @FunctionalInterface
  interface FieldsOperation {
    /** A negative status, or anything else once the values are in {@code sink}. */
    long apply(
        Database db,
        DirectBuffer key,
        int keyOffset,
        int keyLength,
        Args fields,
        int from,
        int to,
        ValueSink sink);
  }

  /** Where the reply of the current command starts, for {@link #finish}. */
  static int mark(Call call) {
    return call.reply().target().writerIndex();
  }
}
