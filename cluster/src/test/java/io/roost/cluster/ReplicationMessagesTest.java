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

  @Test
  void handoffAndLeavingRoundTripAndRejectBadInput() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();
    final int length =
        ReplicationMessages.encodeHandoff(buffer, 0, VIEW, new int[] {0, 5, 16383}, 3);
    assertEquals(ReplicationMessages.HANDOFF, decoder.wrap(buffer, 0, length));
    assertEquals(3, decoder.handoffCount());
    assertEquals(5, decoder.handoffSlot(1));
    assertEquals(16383, decoder.handoffSlot(2));
    rejectsTruncation(buffer, length);
    buffer.putShort(ReplicationMessages.HEADER_LENGTH + 4, (short) 16384);
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, length));
    buffer.putShort(ReplicationMessages.HEADER_LENGTH + 4, (short) 0);
    buffer.putInt(ReplicationMessages.HEADER_LENGTH, Integer.MAX_VALUE);
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, length));

    final int leaving = ReplicationMessages.encodeLeaving(buffer, 0, VIEW);
    assertEquals(ReplicationMessages.LEAVING, decoder.wrap(buffer, 0, leaving));
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, leaving + 1));
  }

  @Property(tries = 100)
  void publishBatchesRoundTripAndRejectBadInput(
      @ForAll @Size(max = 5) List<@Size(max = 20) byte[]> channels,
      @ForAll @IntRange(min = 0, max = 1) int kind) {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    int length = ReplicationMessages.encodePublishBatch(buffer, 0, VIEW);
    for (byte[] channel : channels) {
      length = ReplicationMessages.appendPublish(buffer, 0, length, kind, channel, channel);
    }
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();
    assertEquals(ReplicationMessages.PUBLISH_BATCH, decoder.wrap(buffer, 0, length));
    for (byte[] channel : channels) {
      assertTrue(decoder.nextEntry());
      assertEquals(kind, decoder.entryKind());
      assertEquals(channel.length, decoder.entryChannelLength());
      assertEquals(2 * channel.length, decoder.entryPayloadLength());
    }
    assertFalse(decoder.nextEntry());
    rejectsTruncation(buffer, length);
    if (!channels.isEmpty()) {
      final int first = ReplicationMessages.HEADER_LENGTH + 4;
      buffer.putByte(first, (byte) 2);
      final int bytes = length;
      assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, bytes));
      buffer.putByte(first, (byte) kind);
      buffer.putInt(first + 1, 2 * channels.get(0).length + 1);
      assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, bytes));
      buffer.putInt(first + 1, -1);
      assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, bytes));
    }
  }

  private static void assertPayload(
      byte[] expected, ExpandableArrayBuffer buffer, ReplicationMessages.Decoder decoder) {
    assertTrue(decoder.isView(VIEW));
    final byte[] actual = new byte[decoder.payloadLength()];
    buffer.getBytes(decoder.payloadOffset(), actual);
    assertArrayEquals(expected, actual);
  }

  @Property(tries = 30)
  void assignmentRoundTrips(
      @ForAll @IntRange(min = 1, max = 9) int members,
      @ForAll @IntRange(min = 1, max = 4) int owners,
      @ForAll @IntRange(min = 0, max = 8) int leaver) {
    final List<Integer> first = new java.util.ArrayList<>();
    for (int i = 0; i < members; i++) {
      first.add(i);
    }
    SlotOwnership<Integer> ownership = OwnerAssignment.fresh(first, owners);
    if (members > 1) {
      final List<Integer> next = new java.util.ArrayList<>(first);
      next.remove(Integer.valueOf(leaver % members));
      next.add(100);
      ownership = OwnerAssignment.next(ownership, next, owners);
    }
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length = ReplicationMessages.encodeAssignment(buffer, 0, VIEW, ownership);
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();
    assertEquals(ReplicationMessages.ASSIGNMENT, decoder.wrap(buffer, 0, length));
    assertEquals(ownership.memberCount(), decoder.assignmentMemberCount());
    final SlotOwnership<Integer> decoded =
        SlotOwnership.of(
            ownership.members(), decoder.assignmentOwnersPerSlot(), decoder.assignmentOwners());
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      for (int r = 0; r < ownership.ownersPerSlot(); r++) {
        assertEquals(ownership.ownerIndex(slot, r), decoded.ownerIndex(slot, r));
      }
    }
    assertEquals(ownership.rangeCount(), buffer.getInt(ReplicationMessages.HEADER_LENGTH + 4));
  }

  @Test
  void rejectsBadAssignmentsAndHellos() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();
    final int length =
        ReplicationMessages.encodeAssignment(
            buffer, 0, VIEW, OwnerAssignment.fresh(List.of("a", "b", "c"), 2));
    rejectsTruncation(buffer, length);
    decoder.wrap(buffer, 0, length);
    // An owner index beyond the members.
    final int firstOwner = ReplicationMessages.HEADER_LENGTH + 8 + 4;
    buffer.putShort(firstOwner, (short) 3);
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, length));
    // The same owner twice in one list.
    buffer.putShort(firstOwner, buffer.getShort(firstOwner + 2));
    assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, length));

    final int hello =
        ReplicationMessages.encodeHello(
            buffer, 0, VIEW, "0123456789abcdef0123456789abcdef01234567", "127.0.0.1:6379");
    assertEquals(ReplicationMessages.HELLO, decoder.wrap(buffer, 0, hello));
    assertEquals("0123456789abcdef0123456789abcdef01234567", decoder.helloNodeId());
    assertEquals("127.0.0.1:6379", decoder.helloEndpoint());
    rejectsTruncation(buffer, hello);
  }

  @Property(tries = 100)
  void forwardPayloadRoundTrips(
      @ForAll @IntRange(min = 0, max = 15) int db,
      @ForAll @IntRange(min = 2, max = 3) int protocol,
      @ForAll @Size(min = 1, max = 6) List<@Size(max = 20) byte[]> args) {
    final byte[][] argv = args.toArray(new byte[0][]);
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
    final int length = ForwardCodec.encode(buffer, 0, db, protocol, argv);
    assertEquals(ForwardCodec.length(argv), length);
    final ForwardCodec.Request request = ForwardCodec.decode(buffer, 0, length);
    assertEquals(db, request.db());
    assertEquals(protocol, request.protocol());
    assertEquals(argv.length, request.argv().length);
    for (int i = 0; i < argv.length; i++) {
      assertArrayEquals(argv[i], request.argv()[i]);
    }
    for (int cut = 0; cut < length; cut++) {
      final int truncated = cut;
      assertThrows(
          MalformedMessageException.class, () -> ForwardCodec.decode(buffer, 0, truncated));
    }
  }

  @Property(tries = 100)
  void forwardBatchesRoundTrip(
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 16383) Integer> slots,
      @ForAll @IntRange(min = 0, max = 255) int status,
      @ForAll @Size(max = 16) byte[] arg) {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
    final ReplicationMessages.ForwardBatchEncoder encoder =
        new ReplicationMessages.ForwardBatchEncoder();
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();

    encoder.wrap(buffer, 0, ReplicationMessages.FORWARD_BATCH, VIEW);
    for (int i = 0; i < slots.size(); i++) {
      encoder.request(100 + i, slots.get(i), i, 2, new byte[][] {arg, new byte[i]});
    }
    int length = encoder.finish();
    assertEquals(ReplicationMessages.FORWARD_BATCH, decoder.wrap(buffer, 0, length));
    assertEquals(slots.size(), decoder.forwardCount());
    for (int i = 0; i < slots.size(); i++) {
      assertTrue(decoder.nextEntry());
      assertEquals(100 + i, decoder.entryRequestId());
      assertEquals(slots.get(i), decoder.entrySlot());
      final ForwardCodec.Request request =
          ForwardCodec.decode(
              decoder.buffer(), decoder.entryPayloadOffset(), decoder.entryPayloadLength());
      assertEquals(i, request.db());
      assertArrayEquals(arg, request.argv()[0]);
      assertEquals(i, request.argv()[1].length);
    }
    assertFalse(decoder.nextEntry());
    if (!slots.isEmpty()) {
      rejectsTruncation(buffer, length);
    }

    encoder.wrap(buffer, 0, ReplicationMessages.FORWARD_REPLY_BATCH, VIEW);
    for (int i = 0; i < slots.size(); i++) {
      encoder.reply(100 + i, status, new UnsafeBuffer(arg), 0, arg.length);
    }
    length = encoder.finish();
    assertEquals(ReplicationMessages.FORWARD_REPLY_BATCH, decoder.wrap(buffer, 0, length));
    for (int i = 0; i < slots.size(); i++) {
      assertTrue(decoder.nextEntry());
      assertEquals(100 + i, decoder.entryRequestId());
      assertEquals(status, decoder.entryStatus());
      final byte[] reply = new byte[decoder.entryPayloadLength()];
      decoder.buffer().getBytes(decoder.entryPayloadOffset(), reply);
      assertArrayEquals(arg, reply);
    }
    assertFalse(decoder.nextEntry());
    if (!slots.isEmpty()) {
      rejectsTruncation(buffer, length);
    }
  }

  @Test
  void forwardBatchWithAnOutOfRangeSlotIsMalformed() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
    final int length =
        new ReplicationMessages.ForwardBatchEncoder()
            .wrap(buffer, 0, ReplicationMessages.FORWARD_BATCH, VIEW)
            .request(1, 5, 0, 2, new byte[][] {{'x'}})
            .finish();
    buffer.putShort(ReplicationMessages.HEADER_LENGTH + 4 + 8, (short) 16384);
    assertThrows(
        MalformedMessageException.class,
        () -> new ReplicationMessages.Decoder().wrap(buffer, 0, length));
  }

  private static void rejectsTruncation(ExpandableArrayBuffer buffer, int length) {
    final ReplicationMessages.Decoder decoder = new ReplicationMessages.Decoder();
    for (int cut = 0; cut < length; cut++) {
      final int truncated = cut;
      assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, 0, truncated));
    }
  }
}
