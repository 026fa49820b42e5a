package io.roost.protocol;

/**
 * An argument is not a number as Redis would parse it. Thrown as a preallocated, stackless
 * singleton ({@link #INSTANCE}) so that a bad number costs no allocation; the caller picks the
 * Redis error text that fits its command.
 */
public final class RespNumberException extends Exception {
  /** The only instance. */
  public static final RespNumberException INSTANCE = new RespNumberException();

  private RespNumberException() {
    super("argument is not a number", null, false, false);
  }
}
