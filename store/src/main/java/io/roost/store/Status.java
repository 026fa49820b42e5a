package io.roost.store;

/**
 * Outcomes of store operations. Non-negative values are successes (some operations return counts
 * instead); negative values are errors the server maps to Redis replies.
 */
public final class Status {
  /** Done; any value was delivered. */
  public static final int OK = 0;

  /** Key or field missing (nil reply). */
  public static final int NIL = 1;

  /** A condition (NX/XX/GT/LT, RENAMENX target, MSETNX) was not met: nothing changed. */
  public static final int NOT_SET = 2;

  /** {@code WRONGTYPE Operation against a key holding the wrong kind of value}. */
  public static final int WRONGTYPE = -1;

  /**
   * {@code ERR value is not an integer or out of range} (also hash: "hash value is not an
   * integer").
   */
  public static final int NOT_INTEGER = -2;

  /** {@code ERR increment or decrement would overflow}. */
  public static final int OVERFLOW = -3;

  /** {@code OOM command not allowed when used memory > 'maxmemory'.} */
  public static final int OOM = -4;

  /** {@code ERR value is not a valid float} (hash: "hash value is not a float"). */
  public static final int NOT_FLOAT = -5;

  /** {@code ERR increment would produce NaN or Infinity}. */
  public static final int NAN_OR_INFINITY = -6;

  /** {@code ERR string exceeds maximum allowed size (proto-max-bulk-len)}. */
  public static final int STRING_TOO_LONG = -7;

  /** {@code ERR no such key}. */
  public static final int NO_SUCH_KEY = -8;

  /** {@code ERR source and destination objects are the same}. */
  public static final int SAME_OBJECT = -9;

  /** {@code ERR DB index is out of range}. */
  public static final int DB_OUT_OF_RANGE = -10;

  /** OBJECT FREQ without an LFU policy / OBJECT IDLETIME with one. */
  public static final int WRONG_POLICY = -11;

  /** {@code ERR invalid expire time in '<cmd>' command}. */
  public static final int INVALID_EXPIRE = -12;

  private Status() {}

  /**
   * @param status a status code.
   * @return true if it is an error.
   */
  public static boolean isError(final long status) {
    return status < 0;
  }

  /**
   * @param status a status code.
   * @return its constant name, for tests and error messages.
   */
  public static String name(final long status) {
    return switch ((int) status) {
      case OK -> "OK";
      case NIL -> "NIL";
      case NOT_SET -> "NOT_SET";
      case WRONGTYPE -> "WRONGTYPE";
      case NOT_INTEGER -> "NOT_INTEGER";
      case OVERFLOW -> "OVERFLOW";
      case OOM -> "OOM";
      case NOT_FLOAT -> "NOT_FLOAT";
      case NAN_OR_INFINITY -> "NAN_OR_INFINITY";
      case STRING_TOO_LONG -> "STRING_TOO_LONG";
      case NO_SUCH_KEY -> "NO_SUCH_KEY";
      case SAME_OBJECT -> "SAME_OBJECT";
      case DB_OUT_OF_RANGE -> "DB_OUT_OF_RANGE";
      case WRONG_POLICY -> "WRONG_POLICY";
      case INVALID_EXPIRE -> "INVALID_EXPIRE";
      default -> "status=" + status;
    };
  }
}
