package io.roost.cluster;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Freezes the replication wire format (STYLE §7): ids, status codes and sample encodings byte for
 * byte. A failure here means a change that breaks mixed-version clusters: add a new id or version
 * instead of changing these.
 */
class ReplicationMessagesGoldenTest {
  private static final ViewStamp VIEW = new ViewStamp(7, 0x0102030405060708L, 0x1112131415161718L);
  private static final String HEADER_TAIL =
      "0700000000000000" + "0807060504030201" + "1817161514131211";

  @Test
  void idsAreFrozen() {
    assertEquals(1, ReplicationMessages.EFFECT_BATCH);
    assertEquals(2, ReplicationMessages.BATCH_ACK);
    assertEquals(3, ReplicationMessages.FORWARD_REQUEST);
    assertEquals(4, ReplicationMessages.FORWARD_REPLY);
    assertEquals(5, ReplicationMessages.STATE_CHUNK);
    assertEquals(6, ReplicationMessages.STATE_DONE);
    assertEquals(7, ReplicationMessages.ASSIGNMENT);
    assertEquals(8, ReplicationMessages.HELLO);
    assertEquals(9, ReplicationMessages.FORWARD_BATCH);
    assertEquals(10, ReplicationMessages.FORWARD_REPLY_BATCH);
    assertEquals(11, ReplicationMessages.TARGET);
    assertEquals(12, ReplicationMessages.HANDOFF);
    assertEquals(13, ReplicationMessages.LEAVING);
    assertEquals(14, ReplicationMessages.PUBLISH_BATCH);
    assertEquals(0, ReplicationMessages.PUBLISH_CHANNEL);
    assertEquals(1, ReplicationMessages.PUBLISH_SHARD);
    assertEquals(9, ReplicationMessages.PUBLISH_ENTRY_HEADER_LENGTH);
    assertEquals(0, ClusterNode.RECORD_MARKER);
    assertEquals(0xFE, ClusterNode.SLOTS_RESET);
    assertEquals(0xFD, ClusterNode.SLOTS_COMPLETE);
    assertEquals(2049, ClusterNode.SLOT_SET_ENTRY_LENGTH);
    assertEquals(14, ReplicationMessages.FORWARD_ENTRY_HEADER_LENGTH);
    assertEquals(13, ReplicationMessages.REPLY_ENTRY_HEADER_LENGTH);
    assertEquals(24, ReplicationMessages.LINK_INCARNATION_BITS);
    assertEquals(0x000005_0000000009L, ReplicationMessages.linkSeq(5, 9));
    assertEquals(0, ReplicationMessages.STATUS_OK);
    assertEquals(1, ReplicationMessages.STATUS_NOT_PRIMARY);
    assertEquals(2, ReplicationMessages.STATUS_STALE_VIEW);
    assertEquals(3, ReplicationMessages.STATUS_CLUSTER_DOWN);
    assertEquals(1, ReplicationMessages.VERSION);
    assertEquals(28, ReplicationMessages.HEADER_LENGTH);
    assertEquals(14, ReplicationMessages.EFFECT_ENTRY_HEADER_LENGTH);
  }

  @Test
  void effectBatch() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        new ReplicationMessages.EffectBatchEncoder()
            .wrap(buffer, 0, VIEW, 42)
            .append(12182, 5, ascii("ab"), 0, 2)
            .append(1, 6, ascii(""), 0, 0)
            .finish();
    assertEquals(
        "0101"
            + "0000"
            + HEADER_TAIL
            + "2a00000000000000"
            + "02000000"
            + "962f"
            + "0500000000000000"
            + "02000000"
            + "6162"
            + "0100"
            + "0600000000000000"
            + "00000000",
        hex(buffer, length));
  }

  @Test
  void batchAck() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length = ReplicationMessages.encodeBatchAck(buffer, 0, VIEW, 42);
    assertEquals("0201" + "0000" + HEADER_TAIL + "2a00000000000000", hex(buffer, length));
  }

  @Test
  void forwardRequest() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        ReplicationMessages.encodeForwardRequest(buffer, 0, VIEW, 9, 16383, ascii("SET"), 0, 3);
    assertEquals(
        "0301" + "0000" + HEADER_TAIL + "0900000000000000" + "ff3f" + "03000000" + "534554",
        hex(buffer, length));
  }

  @Test
  void forwardReply() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        ReplicationMessages.encodeForwardReply(
            buffer, 0, VIEW, 9, ReplicationMessages.STATUS_OK, ascii("+OK\r\n"), 0, 5);
    assertEquals(
        "0401" + "0000" + HEADER_TAIL + "0900000000000000" + "00" + "05000000" + "2b4f4b0d0a",
        hex(buffer, length));
  }

  @Test
  void forwardBatch() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        new ReplicationMessages.ForwardBatchEncoder()
            .wrap(buffer, 0, ReplicationMessages.FORWARD_BATCH, VIEW)
            .request(9, 16383, 3, 2, new byte[][] {"GET".getBytes(US_ASCII)})
            .request(10, 1, 0, 3, new byte[][] {"DEL".getBytes(US_ASCII), new byte[0]})
            .finish();
    assertEquals(
        "0901"
            + "0000"
            + HEADER_TAIL
            + "02000000"
            + "0900000000000000"
            + "ff3f"
            + "13000000"
            + "03000000"
            + "02000000"
            + "01000000"
            + "03000000"
            + "474554"
            + "0a00000000000000"
            + "0100"
            + "17000000"
            + "00000000"
            + "03000000"
            + "02000000"
            + "03000000"
            + "44454c"
            + "00000000",
        hex(buffer, length));
  }

  @Test
  void forwardReplyBatch() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        new ReplicationMessages.ForwardBatchEncoder()
            .wrap(buffer, 0, ReplicationMessages.FORWARD_REPLY_BATCH, VIEW)
            .reply(9, ReplicationMessages.STATUS_OK, ascii("+OK\r\n"), 0, 5)
            .reply(10, ReplicationMessages.STATUS_NOT_PRIMARY, ascii(""), 0, 0)
            .finish();
    assertEquals(
        "0a01"
            + "0000"
            + HEADER_TAIL
            + "02000000"
            + "0900000000000000"
            + "00"
            + "05000000"
            + "2b4f4b0d0a"
            + "0a00000000000000"
            + "01"
            + "00000000",
        hex(buffer, length));
  }

  @Test
  void stateChunk() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        ReplicationMessages.encodeStateChunk(buffer, 0, VIEW, 300, 2, ascii("xyz"), 0, 3);
    assertEquals(
        "0501" + "0000" + HEADER_TAIL + "2c01" + "02000000" + "03000000" + "78797a",
        hex(buffer, length));
  }

  @Test
  void stateDone() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length = ReplicationMessages.encodeStateDone(buffer, 0, VIEW, 300, 3, 1_000);
    assertEquals(
        "0601" + "0000" + HEADER_TAIL + "2c01" + "03000000" + "e803000000000000",
        hex(buffer, length));
  }

  @Test
  void assignment() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        ReplicationMessages.encodeAssignment(
            buffer, 0, VIEW, OwnerAssignment.fresh(java.util.List.of("a", "b"), 2));
    assertEquals(
        "0701"
            + "0000"
            + HEADER_TAIL
            + "0200"
            + "0200"
            + "02000000"
            + "0000"
            + "ff1f"
            + "0000"
            + "0100"
            + "0020"
            + "ff3f"
            + "0100"
            + "0000",
        hex(buffer, length));
  }

  @Test
  void target() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        ReplicationMessages.encodeTarget(
            buffer, 0, VIEW, OwnerAssignment.fresh(java.util.List.of("a"), 1));
    assertEquals(
        "0b01" + "0000" + HEADER_TAIL + "0100" + "0100" + "01000000" + "0000" + "ff3f" + "0000",
        hex(buffer, length));
  }

  @Test
  void handoff() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length =
        ReplicationMessages.encodeHandoff(buffer, 0, VIEW, new int[] {1, 16383, 7}, 2);
    assertEquals("0c01" + "0000" + HEADER_TAIL + "02000000" + "0100" + "ff3f", hex(buffer, length));
  }

  @Test
  void leaving() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final int length = ReplicationMessages.encodeLeaving(buffer, 0, VIEW);
    assertEquals("0d01" + "0000" + HEADER_TAIL, hex(buffer, length));
  }

  @Test
  void publishBatch() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    int length = ReplicationMessages.encodePublishBatch(buffer, 0, VIEW);
    length =
        ReplicationMessages.appendPublish(
            buffer, 0, length, ReplicationMessages.PUBLISH_CHANNEL, bytes("ch"), bytes("hi"));
    length =
        ReplicationMessages.appendPublish(
            buffer, 0, length, ReplicationMessages.PUBLISH_SHARD, bytes("s"), bytes(""));
    assertEquals(
        "0e01"
            + "0000"
            + HEADER_TAIL
            + "02000000"
            + "00"
            + "02000000"
            + "04000000"
            + "63686869"
            + "01"
            + "01000000"
            + "01000000"
            + "73",
        hex(buffer, length));
    final ReplicationMessages.Decoder d = new ReplicationMessages.Decoder();
    assertEquals(ReplicationMessages.PUBLISH_BATCH, d.wrap(new UnsafeBuffer(buffer), 0, length));
    assertEquals(true, d.nextEntry());
    assertEquals(ReplicationMessages.PUBLISH_CHANNEL, d.entryKind());
    assertEquals(2, d.entryChannelLength());
    assertEquals(4, d.entryPayloadLength());
    assertEquals(true, d.nextEntry());
    assertEquals(ReplicationMessages.PUBLISH_SHARD, d.entryKind());
    assertEquals(1, d.entryChannelLength());
    assertEquals(false, d.nextEntry());
  }

  @Test
  void hello() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final String id = "0123456789abcdef0123456789abcdef01234567";
    final int length = ReplicationMessages.encodeHello(buffer, 0, VIEW, id, "h:1");
    assertEquals(
        "0801"
            + "0000"
            + HEADER_TAIL
            + HexFormat.of().formatHex(id.getBytes(US_ASCII))
            + "0300"
            + "683a31",
        hex(buffer, length));
  }

  @Test
  void forwardPayload() {
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    final byte[][] argv = {ascii("SET").byteArray(), ascii("k").byteArray()};
    final int length = ForwardCodec.encode(buffer, 0, 3, 2, argv);
    assertEquals(
        "03000000" + "02000000" + "02000000" + "03000000" + "534554" + "01000000" + "6b",
        hex(buffer, length));
  }

  private static UnsafeBuffer ascii(String s) {
    return new UnsafeBuffer(s.getBytes(US_ASCII));
  }

  private static String hex(ExpandableArrayBuffer buffer, int length) {
    final byte[] bytes = new byte[length];
    buffer.getBytes(0, bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(US_ASCII);
  }
}
