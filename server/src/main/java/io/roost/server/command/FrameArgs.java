package io.roost.server.command;

import io.netty.buffer.ByteBuf;
import io.roost.protocol.CommandFrame;
import io.roost.store.Args;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The current command's arguments as the store sees them: one Agrona view over the frame's Netty
 * buffer, so keys and values reach the store without a copy. Owned by the connection's event loop;
 * re-pointed lazily when the frame's buffer moves.
 */
final class FrameArgs implements Args {
  private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
  private CommandFrame frame;
  private ByteBuf wrapped;
  private long wrappedAddress;
  private int wrappedCapacity = -1;

  void bind(CommandFrame frame) {
    this.frame = frame;
  }

  /** The view over the whole frame buffer; argument {@code i} is at {@link #offset(int)}. */
  UnsafeBuffer view() {
    ByteBuf buf = frame.buffer();
    if (buf.hasMemoryAddress()) {
      long address = buf.memoryAddress();
      if (buf != wrapped || address != wrappedAddress || buf.capacity() != wrappedCapacity) {
        view.wrap(address, buf.capacity());
        remember(buf, address);
      }
    } else if (buf.hasArray()) {
      if (buf != wrapped || buf.capacity() != wrappedCapacity || view.byteArray() != buf.array()) {
        view.wrap(buf.array(), buf.arrayOffset(), buf.capacity());
        remember(buf, 0);
      }
    } else {
      view.wrap(buf.nioBuffer(0, buf.capacity()));
      remember(null, 0);
    }
    return view;
  }

  private void remember(ByteBuf buf, long address) {
    wrapped = buf;
    wrappedAddress = address;
    wrappedCapacity = buf == null ? -1 : buf.capacity();
  }

  @Override
  public int count() {
    return frame.argc();
  }

  @Override
  public DirectBuffer buffer(int index) {
    return view();
  }

  @Override
  public int offset(int index) {
    return frame.argOffset(index);
  }

  @Override
  public int length(int index) {
    return frame.argLength(index);
  }
}
