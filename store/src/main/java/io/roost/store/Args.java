package io.roost.store;

import org.agrona.DirectBuffer;

/**
 * A list of binary arguments (keys, fields, values) that the caller already holds, e.g. the
 * server's reused command frame. Multi-key operations take an {@code Args} plus an index range so
 * nothing is copied or allocated. Read only by the calling thread, during the call.
 */
public interface Args {
  /**
   * @return number of arguments.
   */
  int count();

  /**
   * @param index argument index.
   * @return buffer holding the argument.
   */
  DirectBuffer buffer(int index);

  /**
   * @param index argument index.
   * @return offset of the argument in its buffer.
   */
  int offset(int index);

  /**
   * @param index argument index.
   * @return length of the argument in bytes.
   */
  int length(int index);
}
