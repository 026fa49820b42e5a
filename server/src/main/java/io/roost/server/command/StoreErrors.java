package io.roost.server.command;

import io.roost.store.Status;

/** Maps the store's error statuses to Redis's error texts. */
public final class StoreErrors {
  private StoreErrors() {}

  public static String text(int status, CommandSpec spec) {
    return switch (status) {
      case Status.WRONGTYPE -> Errors.WRONGTYPE;
      case Status.NOT_INTEGER ->
          spec != null && spec.group().equals("hash")
              ? "ERR hash value is not an integer"
              : Errors.NOT_INTEGER;
      case Status.OVERFLOW -> "ERR increment or decrement would overflow";
      case Status.OOM -> Errors.OOM;
      case Status.NOT_FLOAT ->
          spec != null && spec.group().equals("hash")
              ? "ERR hash value is not a float"
              : Errors.NOT_FLOAT;
      case Status.NAN_OR_INFINITY -> "ERR increment would produce NaN or Infinity";
      case Status.STRING_TOO_LONG -> "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
      case Status.NO_SUCH_KEY -> Errors.NO_SUCH_KEY;
      case Status.SAME_OBJECT -> "ERR source and destination objects are the same";
      case Status.DB_OUT_OF_RANGE -> Errors.DB_OUT_OF_RANGE;
      case Status.INVALID_EXPIRE ->
          "ERR invalid expire time in '" + (spec == null ? "" : spec.fullName()) + "' command";
      default -> "ERR internal error status=" + status;
    };
  }
}
