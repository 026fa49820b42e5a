package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ReplicationMessagesTest {
  private static final ViewStamp VIEW = new ViewStamp(3, -1, 99);

  @Property(tries = 200)
  void effectBatchRoundTripsAtAnyOffset(
      @ForAll @IntRange(min = 0, max = 7) int offset,
      @ForAll long batchSeq,
      @ForAll @Size(max = 8) List<@Size(max = 40) byte[]> effects) {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
    final ReplicationMessages.EffectBatchEncoder encoder =
        new ReplicationMessages.EffectBatchEncoder();
    encoder.wrap(buffer, offset, VIEW, batchSeq);
    for (int i = 0; i < effects.size(); i++) {
      encoder.append(
          i * 1000, 100L + i, new UnsafeBuffer(effects.get(i)), 0, effects.get(i).length);
    }
    final int length = encoder.finish();
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();
    assertEquals(ReplicationMessages.EFFECT_BATCH, decoder.wrap(buffer, offset, length));
    assertTrue(decoder.isView(VIEW));
    assertEquals(batchSeq, decoder.batchSeq());
    assertEquals(effects.size(), decoder.entryCount());
    for (int i = 0; i < effects.size(); i++) {
      assertTrue(decoder.nextEntry());
      assertEquals(i * 1000, decoder.entrySlot());
      assertEquals(100L + i, decoder.entrySlotSeq());
      final byte[] payload = new byte[decoder.entryPayloadLength()];
      buffer.getBytes(decoder.entryPayloadOffset(), payload);
      assertArrayEquals(effects.get(i), payload);
    }
    assertFalse(decoder.nextEntry());
    // Every truncation and any trailing byte is rejected.
    for (int cut = 0; cut < length; cut++) {
      final int truncated = cut;
      assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, offset, truncated));
    }
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, offset, length + 1));
  }

  @Property(tries = 100)
  void payloadMessagesRoundTrip(
      @ForAll long requestId,
      @ForAll @IntRange(min = 0, max = 16383) int slot,
      @ForAll @IntRange(min = 0, max = 255) int status,
      @ForAll int chunkSeq,
      @ForAll @Size(max = 64) byte[] payload) {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
    final UnsafeBuffer source = new UnsafeBuffer(payload);
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();

    int length =
        ReplicationMessages.encodeForwardRequest(
            buffer, 0, VIEW, requestId, slot, source, 0, payload.length);
    assertEquals(ReplicationMessages.FORWARD_REQUEST, decoder.wrap(buffer, 0, length));
    assertEquals(requestId, decoder.requestId());
    assertEquals(slot, decoder.slot());
    assertPayload(payload, buffer, decoder);
    rejectsTruncation(buffer, length);

    length =
        ReplicationMessages.encodeForwardReply(
            buffer, 0, VIEW, requestId, status, source, 0, payload.length);
    assertEquals(ReplicationMessages.FORWARD_REPLY, decoder.wrap(buffer, 0, length));
    assertEquals(requestId, decoder.requestId());
    assertEquals(status, decoder.status());
    assertPayload(payload, buffer, decoder);
    rejectsTruncation(buffer, length);

    length =
        ReplicationMessages.encodeStateChunk(
            buffer, 0, VIEW, slot, chunkSeq, source, 0, payload.length);
    assertEquals(ReplicationMessages.STATE_CHUNK, decoder.wrap(buffer, 0, length));
    assertEquals(slot, decoder.slot());
    assertEquals(chunkSeq, decoder.chunkSeq());
    assertPayload(payload, buffer, decoder);
    rejectsTruncation(buffer, length);

    length = ReplicationMessages.encodeStateDone(buffer, 0, VIEW, slot, chunkSeq, requestId);
    assertEquals(ReplicationMessages.STATE_DONE, decoder.wrap(buffer, 0, length));
    assertEquals(slot, decoder.slot());
    assertEquals(chunkSeq, decoder.chunkCount());
    assertEquals(requestId, decoder.slotSeq());
    rejectsTruncation(buffer, length);

    length = ReplicationMessages.encodeBatchAck(buffer, 0, VIEW, requestId);
    assertEquals(ReplicationMessages.BATCH_ACK, decoder.wrap(buffer, 0, length));
    assertEquals(requestId, decoder.batchSeq());
    rejectsTruncation(buffer, length);
  }

  @Test
  void rejectsUnknownTypeVersionAndSlot() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();
    final int length = ReplicationMessages.encodeStateDone(buffer, 0, VIEW, 1, 1, 1);
    buffer.putByte(0, (byte) 99);
    assertEquals(
        "type=99 unknown",
        assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, length))
            .getMessage());
    buffer.putByte(0, (byte) ReplicationMessages.STATE_DONE);
    buffer.putByte(1, (byte) 2);
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, length));
    buffer.putByte(1, (byte) ReplicationMessages.VERSION);
    buffer.putShort(ReplicationMessages.HEADER_LENGTH, (short) 16384);
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, length));
    // A batch declaring a huge count in a short message is rejected without allocating.
    final int batch =
        new ReplicationMessages.EffectBatchEncoder().wrap(buffer, 0, VIEW, 1).finish();
    buffer.putInt(ReplicationMessages.HEADER_LENGTH + 8, Integer.MAX_VALUE);
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, batch));
    assertThrows(
        IllegalArgumentException.class,
        () -> ReplicationMessages.encodeStateDone(buffer, 0, VIEW, 16384, 0, 0));
  }

  private static void assertPayload(
      byte[] expected, ExpandableArrayBuffer buffer, ReplicationMessages.Decoder decoder) {
    assertTrue(decoder.isView(VIEW));
    final byte[] actual = new byte[decoder.payloadLength()];
    buffer.getBytes(decoder.payloadOffset(), actual);
    assertArrayEquals(expected, actual);
  }

  private static void rejectsTruncation(ExpandableArrayBuffer buffer, int length) {
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();
    for (int cut = 0; cut < length; cut++) {
      final int truncated = cut;
      assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, truncated));
    }
  }
}
