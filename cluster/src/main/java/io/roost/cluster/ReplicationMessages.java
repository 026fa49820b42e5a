package io.roost.cluster;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Wire format of the messages nodes exchange for replication, forwarding and state transfer.
 * Numbers are little-endian; message type ids, status codes and layouts are append-only and frozen
 * by {@code ReplicationMessagesGoldenTest}. Payloads (effects, commands, replies, state) are opaque
 * here and always length-prefixed.
 *
 * <p>Every message starts with the same header; the view stamp lets a receiver reject messages from
 * another view (fencing).
 *
 * <pre>
 *   0               1               2               3
 *   0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
 *  +---------------+---------------+-------------------------------+
 *  |     type      |    version    |        reserved (0)           |  0
 *  +---------------+---------------+-------------------------------+
 *  |                       view id (i64)                           |  4
 *  +---------------------------------------------------------------+
 *  |                  view creator UUID high (i64)                 |  12
 *  +---------------------------------------------------------------+
 *  |                  view creator UUID low (i64)                  |  20
 *  +---------------------------------------------------------------+
 *  |                       body ...                               ...  28
 * </pre>
 *
 * Bodies (offsets from the start of the message):
 *
 * <pre>
 *  EFFECT_BATCH    28 batch seq i64 | 36 count i32 | 40 entries:
 *                  [slot u16 | slot seq i64 | length i32 | payload]*
 *  BATCH_ACK       28 batch seq i64 (highest batch applied, contiguously)
 *  FORWARD_REQUEST 28 request id i64 | 36 slot u16 | 38 length i32 | 42 payload
 *  FORWARD_REPLY   28 request id i64 | 36 status u8 | 37 length i32 | 41 payload
 *  STATE_CHUNK     28 slot u16 | 30 chunk seq i32 | 34 length i32 | 38 payload
 *  STATE_DONE      28 slot u16 | 30 chunk count i32 | 34 slot seq i64 (stream position)
 *  ASSIGNMENT      28 member count u16 | 30 owners per slot u16 | 32 range count i32 | 36 ranges:
 *                  [first slot u16 | last slot u16 | owner member index u16 * owners per slot]*
 *                  (ranges cover slots 0..16383 in order; indices refer to the view's members)
 *  HELLO           28 node id (40 ASCII hex bytes) | 68 endpoint length u16 | 70 endpoint (ASCII)
 *  FORWARD_BATCH   28 count i32 | 32 entries:
 *                  [request id i64 | slot u16 | length i32 | payload]*
 *  FORWARD_REPLY_BATCH
 *                  28 count i32 | 32 entries:
 *                  [request id i64 | status u8 | length i32 | payload]*
 *  TARGET          as ASSIGNMENT
 *  HANDOFF         28 count i32 | 32 slot u16 * count
 *  LEAVING         (header only)
 *  PUBLISH_BATCH   28 count i32 | 32 entries:
 *                  [kind u8 | channel length i32 | length i32 | channel | message]*
 *                  (length covers channel and message; kind PUBLISH_CHANNEL or PUBLISH_SHARD)
 * </pre>
 *
 * <p>FORWARD_BATCH and FORWARD_REPLY_BATCH carry many forwarded commands (replies) in one message;
 * the primary executes a FORWARD_BATCH's entries in order. A node sends only these; it still
 * answers a FORWARD_REQUEST (from an older node) with a FORWARD_REPLY.
 *
 * <p>Replication link sequences (EFFECT_BATCH batch seq and entry slot seq, BATCH_ACK, STATE_DONE
 * slot seq) are link positions: the top {@link #LINK_INCARNATION_BITS} bits name the incarnation of
 * the sender → receiver link, the rest count entries from 1 within it.
 *
 * <p>Stateless; the flyweights {@link EffectBatchEncoder} and {@link Decoder} belong to one thread.
 */
public final class ReplicationMessages {
  /** Primary → backup: effects of many writes, in stream order. */
  public static final int EFFECT_BATCH = 1;

  /** Backup → primary: batches applied up to a sequence. */
  public static final int BATCH_ACK = 2;

  /** Non-primary → primary: a client command to execute. */
  public static final int FORWARD_REQUEST = 3;

  /** Primary → forwarder: the reply to a forwarded command. */
  public static final int FORWARD_REPLY = 4;

  /** Old owner → new owner: a piece of a slot's contents. */
  public static final int STATE_CHUNK = 5;

  /** Old owner → new owner: a slot's transfer is complete. */
  public static final int STATE_DONE = 6;

  /** Coordinator → all: the slot owner lists of its current view. */
  public static final int ASSIGNMENT = 7;

  /** Any → all: the sender's node id and client endpoint. */
  public static final int HELLO = 8;

  /** Non-primary → primary: many client commands to execute, in order. */
  public static final int FORWARD_BATCH = 9;

  /** Primary → forwarder: replies to many forwarded commands. */
  public static final int FORWARD_REPLY_BATCH = 10;

  /**
   * Assigner → all: the owner lists the cluster moves towards (same body as ASSIGNMENT, which then
   * holds the staged lists: a slot whose list changes keeps its old primary and previous owners
   * until handed off).
   */
  public static final int TARGET = 11;

  /** Old primary → all: these slots' lists (primary included) are now their TARGET lists. */
  public static final int HANDOFF = 12;

  /** Leaving node → all: move my slots away before I go (the coordinator acts on it). */
  public static final int LEAVING = 13;

  /**
   * Any → all: pub/sub messages published on the sender (PUBLISH, SPUBLISH and keyspace events), in
   * the order they were published there.
   */
  public static final int PUBLISH_BATCH = 14;

  /** PUBLISH_BATCH entry kind: a message to a channel (PUBLISH, keyspace events). */
  public static final int PUBLISH_CHANNEL = 0;

  /** PUBLISH_BATCH entry kind: a message to a shard channel (SPUBLISH). */
  public static final int PUBLISH_SHARD = 1;

  /** Forward reply: payload is the command's reply. */
  public static final int STATUS_OK = 0;

  /** Forward reply: the receiver is not the slot's primary in its view; payload empty. */
  public static final int STATUS_NOT_PRIMARY = 1;

  /** Forward reply: the request's view is not the receiver's; payload empty. */
  public static final int STATUS_STALE_VIEW = 2;

  /** Forward reply: the cluster refuses writes (no majority); payload is the error text. */
  public static final int STATUS_CLUSTER_DOWN = 3;

  /** Layout version written in every header. */
  public static final int VERSION = 1;

  /** Offset of the type byte. */
  public static final int TYPE_OFFSET = 0;

  /** Offset of the version byte. */
  public static final int VERSION_OFFSET = 1;

  /** Offset of the reserved 16 bits. */
  public static final int RESERVED_OFFSET = 2;

  /** Offset of the view id. */
  public static final int VIEW_ID_OFFSET = 4;

  /** Offset of the view creator's high bits. */
  public static final int VIEW_CREATOR_HI_OFFSET = 12;

  /** Offset of the view creator's low bits. */
  public static final int VIEW_CREATOR_LO_OFFSET = 20;

  /** Header length; the body follows. */
  public static final int HEADER_LENGTH = 28;

  /** Bits at the top of a link sequence holding the link's incarnation. */
  public static final int LINK_INCARNATION_BITS = 24;

  /** Length of a node id in HELLO. */
  public static final int NODE_ID_LENGTH = 40;

  /** Longest endpoint accepted in HELLO. */
  public static final int MAX_ENDPOINT_LENGTH = 1024;

  /** Length of an effect entry's fixed part (slot, slot seq, length). */
  public static final int EFFECT_ENTRY_HEADER_LENGTH = 14;

  /** Length of a FORWARD_BATCH entry's fixed part (request id, slot, length). */
  public static final int FORWARD_ENTRY_HEADER_LENGTH = 14;

  /** Length of a FORWARD_REPLY_BATCH entry's fixed part (request id, status, length). */
  public static final int REPLY_ENTRY_HEADER_LENGTH = 13;

  /** PUBLISH_BATCH entry header: kind, channel length, length. */
  public static final int PUBLISH_ENTRY_HEADER_LENGTH = 9;

  static final int BATCH_SEQ_OFFSET = HEADER_LENGTH;
  static final int BATCH_COUNT_OFFSET = HEADER_LENGTH + 8;
  static final int BATCH_ENTRIES_OFFSET = HEADER_LENGTH + 12;
  static final int ACK_LENGTH = HEADER_LENGTH + 8;
  static final int REQUEST_ID_OFFSET = HEADER_LENGTH;
  static final int FORWARD_SLOT_OFFSET = HEADER_LENGTH + 8;
  static final int FORWARD_LENGTH_OFFSET = HEADER_LENGTH + 10;
  static final int FORWARD_PAYLOAD_OFFSET = HEADER_LENGTH + 14;
  static final int REPLY_STATUS_OFFSET = HEADER_LENGTH + 8;
  static final int REPLY_LENGTH_OFFSET = HEADER_LENGTH + 9;
  static final int REPLY_PAYLOAD_OFFSET = HEADER_LENGTH + 13;
  static final int STATE_SLOT_OFFSET = HEADER_LENGTH;
  static final int CHUNK_SEQ_OFFSET = HEADER_LENGTH + 2;
  static final int CHUNK_LENGTH_OFFSET = HEADER_LENGTH + 6;
  static final int CHUNK_PAYLOAD_OFFSET = HEADER_LENGTH + 10;
  static final int DONE_COUNT_OFFSET = HEADER_LENGTH + 2;
  static final int DONE_SLOT_SEQ_OFFSET = HEADER_LENGTH + 6;
  static final int DONE_LENGTH = HEADER_LENGTH + 14;
  static final int ASSIGNMENT_MEMBERS_OFFSET = HEADER_LENGTH;
  static final int ASSIGNMENT_OWNERS_OFFSET = HEADER_LENGTH + 2;
  static final int ASSIGNMENT_RANGES_OFFSET = HEADER_LENGTH + 4;
  static final int ASSIGNMENT_ENTRIES_OFFSET = HEADER_LENGTH + 8;
  static final int HANDOFF_COUNT_OFFSET = HEADER_LENGTH;
  static final int HANDOFF_SLOTS_OFFSET = HEADER_LENGTH + 4;
  static final int HELLO_ID_OFFSET = HEADER_LENGTH;
  static final int HELLO_ENDPOINT_LENGTH_OFFSET = HEADER_LENGTH + NODE_ID_LENGTH;
  static final int HELLO_ENDPOINT_OFFSET = HELLO_ENDPOINT_LENGTH_OFFSET + 2;
  static final int FORWARDS_COUNT_OFFSET = HEADER_LENGTH;
  static final int FORWARDS_ENTRIES_OFFSET = HEADER_LENGTH + 4;

  private ReplicationMessages() {}

  /** Writes a header of {@code type}; returns {@link #HEADER_LENGTH}. */
  public static int encodeHeader(MutableDirectBuffer buffer, int offset, int type, ViewStamp view) {
    buffer.putByte(offset + TYPE_OFFSET, (byte) type);
    buffer.putByte(offset + VERSION_OFFSET, (byte) VERSION);
    buffer.putShort(offset + RESERVED_OFFSET, (short) 0);
    buffer.putLong(offset + VIEW_ID_OFFSET, view.id());
    buffer.putLong(offset + VIEW_CREATOR_HI_OFFSET, view.creatorHi());
    buffer.putLong(offset + VIEW_CREATOR_LO_OFFSET, view.creatorLo());
    return HEADER_LENGTH;
  }

  /** Encodes a BATCH_ACK; returns its length. */
  public static int encodeBatchAck(
      MutableDirectBuffer buffer, int offset, ViewStamp view, long batchSeq) {
    encodeHeader(buffer, offset, BATCH_ACK, view);
    buffer.putLong(offset + BATCH_SEQ_OFFSET, batchSeq);
    return ACK_LENGTH;
  }

  /** Encodes a FORWARD_REQUEST carrying {@code payload[payloadOffset, +length)}. */
  public static int encodeForwardRequest(
      MutableDirectBuffer buffer,
      int offset,
      ViewStamp view,
      long requestId,
      int slot,
      DirectBuffer payload,
      int payloadOffset,
      int payloadLength) {
    checkSlot(slot);
    encodeHeader(buffer, offset, FORWARD_REQUEST, view);
    buffer.putLong(offset + REQUEST_ID_OFFSET, requestId);
    buffer.putShort(offset + FORWARD_SLOT_OFFSET, (short) slot);
    buffer.putInt(offset + FORWARD_LENGTH_OFFSET, payloadLength);
    buffer.putBytes(offset + FORWARD_PAYLOAD_OFFSET, payload, payloadOffset, payloadLength);
    return FORWARD_PAYLOAD_OFFSET + payloadLength;
  }

  /** Encodes a FORWARD_REPLY with {@code status} and {@code payload[payloadOffset, +length)}. */
  public static int encodeForwardReply(
      MutableDirectBuffer buffer,
      int offset,
      ViewStamp view,
      long requestId,
      int status,
      DirectBuffer payload,
      int payloadOffset,
      int payloadLength) {
    if (status < 0 || status > 255) {
      throw new IllegalArgumentException("status=" + status + " must fit a byte");
    }
    encodeHeader(buffer, offset, FORWARD_REPLY, view);
    buffer.putLong(offset + REQUEST_ID_OFFSET, requestId);
    buffer.putByte(offset + REPLY_STATUS_OFFSET, (byte) status);
    buffer.putInt(offset + REPLY_LENGTH_OFFSET, payloadLength);
    buffer.putBytes(offset + REPLY_PAYLOAD_OFFSET, payload, payloadOffset, payloadLength);
    return REPLY_PAYLOAD_OFFSET + payloadLength;
  }

  /** Encodes a STATE_CHUNK of {@code slot} carrying {@code payload[payloadOffset, +length)}. */
  public static int encodeStateChunk(
      MutableDirectBuffer buffer,
      int offset,
      ViewStamp view,
      int slot,
      int chunkSeq,
      DirectBuffer payload,
      int payloadOffset,
      int payloadLength) {
    checkSlot(slot);
    encodeHeader(buffer, offset, STATE_CHUNK, view);
    buffer.putShort(offset + STATE_SLOT_OFFSET, (short) slot);
    buffer.putInt(offset + CHUNK_SEQ_OFFSET, chunkSeq);
    buffer.putInt(offset + CHUNK_LENGTH_OFFSET, payloadLength);
    buffer.putBytes(offset + CHUNK_PAYLOAD_OFFSET, payload, payloadOffset, payloadLength);
    return CHUNK_PAYLOAD_OFFSET + payloadLength;
  }

  /**
   * Encodes a STATE_DONE for {@code slot}: {@code chunkCount} chunks, stream at {@code slotSeq}.
   */
  public static int encodeStateDone(
      MutableDirectBuffer buffer,
      int offset,
      ViewStamp view,
      int slot,
      int chunkCount,
      long slotSeq) {
    checkSlot(slot);
    encodeHeader(buffer, offset, STATE_DONE, view);
    buffer.putShort(offset + STATE_SLOT_OFFSET, (short) slot);
    buffer.putInt(offset + DONE_COUNT_OFFSET, chunkCount);
    buffer.putLong(offset + DONE_SLOT_SEQ_OFFSET, slotSeq);
    return DONE_LENGTH;
  }

  /**
   * Encodes an ASSIGNMENT of {@code ownership}, whose members must be the view's members in view
   * order; returns its length.
   */
  public static int encodeAssignment(
      MutableDirectBuffer buffer, int offset, ViewStamp view, SlotOwnership<?> ownership) {
    return encodeOwnership(buffer, offset, ASSIGNMENT, view, ownership);
  }

  /** Encodes a TARGET of {@code ownership} (members as for ASSIGNMENT); returns its length. */
  public static int encodeTarget(
      MutableDirectBuffer buffer, int offset, ViewStamp view, SlotOwnership<?> ownership) {
    return encodeOwnership(buffer, offset, TARGET, view, ownership);
  }

  /** Encodes a HANDOFF of {@code slots[0, count)}; returns its length. */
  public static int encodeHandoff(
      MutableDirectBuffer buffer, int offset, ViewStamp view, int[] slots, int count) {
    encodeHeader(buffer, offset, HANDOFF, view);
    buffer.putInt(offset + HANDOFF_COUNT_OFFSET, count);
    for (int i = 0; i < count; i++) {
      buffer.putShort(offset + HANDOFF_SLOTS_OFFSET + 2 * i, (short) slots[i]);
    }
    return HANDOFF_SLOTS_OFFSET + 2 * count;
  }

  /**
   * Starts a PUBLISH_BATCH with no entries at {@code offset}; returns the offset (from {@code
   * offset}) where {@link #appendPublish} writes the first entry.
   */
  public static int encodePublishBatch(MutableDirectBuffer buffer, int offset, ViewStamp view) {
    encodeHeader(buffer, offset, PUBLISH_BATCH, view);
    buffer.putInt(offset + FORWARDS_COUNT_OFFSET, 0);
    return FORWARDS_ENTRIES_OFFSET;
  }

  /**
   * Appends one entry to the PUBLISH_BATCH at {@code offset}, at {@code at} bytes from its start;
   * returns the batch length after it.
   */
  public static int appendPublish(
      MutableDirectBuffer buffer, int offset, int at, int kind, byte[] channel, byte[] message) {
    buffer.putByte(offset + at, (byte) kind);
    buffer.putInt(offset + at + 1, channel.length);
    buffer.putInt(offset + at + 5, channel.length + message.length);
    buffer.putBytes(offset + at + PUBLISH_ENTRY_HEADER_LENGTH, channel);
    buffer.putBytes(offset + at + PUBLISH_ENTRY_HEADER_LENGTH + channel.length, message);
    buffer.putInt(
        offset + FORWARDS_COUNT_OFFSET, buffer.getInt(offset + FORWARDS_COUNT_OFFSET) + 1);
    return at + PUBLISH_ENTRY_HEADER_LENGTH + channel.length + message.length;
  }

  /** Encodes a LEAVING; returns its length. */
  public static int encodeLeaving(MutableDirectBuffer buffer, int offset, ViewStamp view) {
    return encodeHeader(buffer, offset, LEAVING, view);
  }

  private static int encodeOwnership(
      MutableDirectBuffer buffer,
      int offset,
      int type,
      ViewStamp view,
      SlotOwnership<?> ownership) {
    final int k = ownership.ownersPerSlot();
    encodeHeader(buffer, offset, type, view);
    buffer.putShort(offset + ASSIGNMENT_MEMBERS_OFFSET, (short) ownership.memberCount());
    buffer.putShort(offset + ASSIGNMENT_OWNERS_OFFSET, (short) k);
    int at = offset + ASSIGNMENT_ENTRIES_OFFSET;
    int ranges = 0;
    int first = 0;
    for (int s = 1; s <= SlotHash.SLOT_COUNT; s++) {
      if (s == SlotHash.SLOT_COUNT || !ownership.sameOwners(first, s)) {
        buffer.putShort(at, (short) first);
        buffer.putShort(at + 2, (short) (s - 1));
        for (int r = 0; r < k; r++) {
          buffer.putShort(at + 4 + 2 * r, (short) ownership.ownerIndex(first, r));
        }
        at += 4 + 2 * k;
        ranges++;
        first = s;
      }
    }
    buffer.putInt(offset + ASSIGNMENT_RANGES_OFFSET, ranges);
    return at - offset;
  }

  /** Encodes a HELLO; {@code nodeId} is 40 hex characters, {@code endpoint} ASCII. */
  public static int encodeHello(
      MutableDirectBuffer buffer, int offset, ViewStamp view, String nodeId, String endpoint) {
    if (nodeId.length() != NODE_ID_LENGTH) {
      throw new IllegalArgumentException("nodeId=" + nodeId + " must be 40 characters");
    }
    if (endpoint.length() > MAX_ENDPOINT_LENGTH) {
      throw new IllegalArgumentException("endpoint=" + endpoint + " too long");
    }
    encodeHeader(buffer, offset, HELLO, view);
    buffer.putStringWithoutLengthAscii(offset + HELLO_ID_OFFSET, nodeId);
    buffer.putShort(offset + HELLO_ENDPOINT_LENGTH_OFFSET, (short) endpoint.length());
    buffer.putStringWithoutLengthAscii(offset + HELLO_ENDPOINT_OFFSET, endpoint);
    return HELLO_ENDPOINT_OFFSET + endpoint.length();
  }

  /** Link sequence {@code counter} of link {@code incarnation}. */
  public static long linkSeq(int incarnation, long counter) {
    return ((long) incarnation << (64 - LINK_INCARNATION_BITS)) | counter;
  }

  /** Incarnation part of a link sequence. */
  public static int linkIncarnation(long linkSeq) {
    return (int) (linkSeq >>> (64 - LINK_INCARNATION_BITS));
  }

  /** Counter part of a link sequence. */
  public static long linkCounter(long linkSeq) {
    return linkSeq & (-1L >>> LINK_INCARNATION_BITS);
  }

  static void checkSlot(int slot) {
    if (slot < 0 || slot >= SlotHash.SLOT_COUNT) {
      throw new IllegalArgumentException("slot=" + slot + " must be in [0, 16383]");
    }
  }

  /**
   * Builds one EFFECT_BATCH in place: {@link #wrap}, {@link #append} entries, {@link #finish}.
   * Owned by one thread (the primary's replication sender); reusable.
   */
  public static final class EffectBatchEncoder {
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int count;

    /** Starts a batch at {@code buffer[offset]}. */
    public EffectBatchEncoder wrap(
        MutableDirectBuffer buffer, int offset, ViewStamp view, long batchSeq) {
      this.buffer = buffer;
      this.offset = offset;
      this.count = 0;
      encodeHeader(buffer, offset, EFFECT_BATCH, view);
      buffer.putLong(offset + BATCH_SEQ_OFFSET, batchSeq);
      buffer.putInt(offset + BATCH_COUNT_OFFSET, 0);
      this.limit = offset + BATCH_ENTRIES_OFFSET;
      return this;
    }

    /**
     * Appends the effect {@code payload[payloadOffset, +length)} of {@code slot} at {@code
     * slotSeq}.
     */
    public EffectBatchEncoder append(
        int slot, long slotSeq, DirectBuffer payload, int payloadOffset, int payloadLength) {
      checkSlot(slot);
      buffer.putShort(limit, (short) slot);
      buffer.putLong(limit + 2, slotSeq);
      buffer.putInt(limit + 10, payloadLength);
      buffer.putBytes(limit + EFFECT_ENTRY_HEADER_LENGTH, payload, payloadOffset, payloadLength);
      limit += EFFECT_ENTRY_HEADER_LENGTH + payloadLength;
      count++;
      return this;
    }

    /** Entries appended so far. */
    public int count() {
      return count;
    }

    /** Bytes the batch occupies so far. */
    public int length() {
      return limit - offset;
    }

    /** Writes the entry count; returns the batch's length. */
    public int finish() {
      buffer.putInt(offset + BATCH_COUNT_OFFSET, count);
      return limit - offset;
    }
  }

  /**
   * Builds one FORWARD_BATCH or FORWARD_REPLY_BATCH in place: {@link #wrap}, {@link #request} or
   * {@link #reply} entries, {@link #finish}. The header's view stamp is written by whoever sends it
   * ({@link #encodeHeader}). Owned by its user (under a lock); reusable.
   */
  public static final class ForwardBatchEncoder {
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int count;
    private int type;

    /** Starts a batch of {@code type} (FORWARD_BATCH or FORWARD_REPLY_BATCH) at offset. */
    public ForwardBatchEncoder wrap(
        MutableDirectBuffer buffer, int offset, int type, ViewStamp view) {
      if (type != FORWARD_BATCH && type != FORWARD_REPLY_BATCH) {
        throw new IllegalArgumentException("type=" + type + " is not a forward batch");
      }
      this.buffer = buffer;
      this.offset = offset;
      this.type = type;
      this.count = 0;
      encodeHeader(buffer, offset, type, view);
      buffer.putInt(offset + FORWARDS_COUNT_OFFSET, 0);
      this.limit = offset + FORWARDS_ENTRIES_OFFSET;
      return this;
    }

    /** Appends a request (FORWARD_BATCH): the command {@code argv} as a {@link ForwardCodec}. */
    public ForwardBatchEncoder request(
        long requestId, int slot, int db, int protocol, byte[][] argv) {
      checkSlot(slot);
      checkType(FORWARD_BATCH);
      final int length =
          ForwardCodec.encode(buffer, limit + FORWARD_ENTRY_HEADER_LENGTH, db, protocol, argv);
      buffer.putLong(limit, requestId);
      buffer.putShort(limit + 8, (short) slot);
      buffer.putInt(limit + 10, length);
      limit += FORWARD_ENTRY_HEADER_LENGTH + length;
      count++;
      return this;
    }

    /** Appends a reply (FORWARD_REPLY_BATCH) with {@code status}. */
    public ForwardBatchEncoder reply(
        long requestId, int status, DirectBuffer payload, int payloadOffset, int payloadLength) {
      if (status < 0 || status > 255) {
        throw new IllegalArgumentException("status=" + status + " must fit a byte");
      }
      checkType(FORWARD_REPLY_BATCH);
      buffer.putLong(limit, requestId);
      buffer.putByte(limit + 8, (byte) status);
      buffer.putInt(limit + 9, payloadLength);
      buffer.putBytes(limit + REPLY_ENTRY_HEADER_LENGTH, payload, payloadOffset, payloadLength);
      limit += REPLY_ENTRY_HEADER_LENGTH + payloadLength;
      count++;
      return this;
    }

    private void checkType(int expected) {
      if (type != expected) {
        throw new IllegalStateException("type=" + type + " expected=" + expected);
      }
    }

    /** Entries appended so far. */
    public int count() {
      return count;
    }

    /** Bytes the batch occupies so far. */
    public int length() {
      return limit - offset;
    }

    /** Writes the entry count; returns the batch's length. */
    public int finish() {
      buffer.putInt(offset + FORWARDS_COUNT_OFFSET, count);
      return limit - offset;
    }
  }

  /**
   * Reads any message in place after checking its whole structure against the bytes received
   * (declared lengths are never used to allocate). Owned by one thread; reusable.
   */
  public static final class Decoder {
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int type;
    private int entriesLeft;
    private int entryOffset;
    private int nextEntryOffset;
    private int entryHeaderLength;
    private int entryLengthOffset;

    /**
     * Wraps and validates {@code buffer[offset, offset + length)}; returns the message type.
     *
     * @throws MalformedMessageException when the bytes are not exactly one well-formed message
     */
    public int wrap(DirectBuffer buffer, int offset, int length) {
      this.buffer = buffer;
      this.offset = offset;
      this.length = length;
      if (length < HEADER_LENGTH) {
        throw new MalformedMessageException("length=" + length + " shorter than the header");
      }
      final int version = buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
      if (version != VERSION) {
        throw new MalformedMessageException("version=" + version + " unsupported");
      }
      type = buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
      switch (type) {
        case EFFECT_BATCH -> validateBatch();
        case BATCH_ACK -> expectLength(ACK_LENGTH);
        case FORWARD_REQUEST -> validatePayload(FORWARD_LENGTH_OFFSET, FORWARD_PAYLOAD_OFFSET);
        case FORWARD_REPLY -> validatePayload(REPLY_LENGTH_OFFSET, REPLY_PAYLOAD_OFFSET);
        case STATE_CHUNK -> validatePayload(CHUNK_LENGTH_OFFSET, CHUNK_PAYLOAD_OFFSET);
        case STATE_DONE -> expectLength(DONE_LENGTH);
        case ASSIGNMENT, TARGET -> validateAssignment();
        case HELLO -> validateHello();
        case HANDOFF -> validateHandoff();
        case LEAVING -> expectLength(HEADER_LENGTH);
        case FORWARD_BATCH -> validateForwards(FORWARD_ENTRY_HEADER_LENGTH, 10, true);
        case FORWARD_REPLY_BATCH -> validateForwards(REPLY_ENTRY_HEADER_LENGTH, 9, false);
        case PUBLISH_BATCH -> validatePublishes();
        default -> throw new MalformedMessageException("type=" + type + " unknown");
      }
      if (type == FORWARD_REQUEST) {
        checkWireSlot(buffer.getShort(offset + FORWARD_SLOT_OFFSET) & 0xFFFF);
      } else if (type == STATE_CHUNK || type == STATE_DONE) {
        checkWireSlot(buffer.getShort(offset + STATE_SLOT_OFFSET) & 0xFFFF);
      }
      if (type == EFFECT_BATCH) {
        entriesLeft = buffer.getInt(offset + BATCH_COUNT_OFFSET);
        nextEntryOffset = offset + BATCH_ENTRIES_OFFSET;
        entryHeaderLength = EFFECT_ENTRY_HEADER_LENGTH;
        entryLengthOffset = 10;
      } else if (type == FORWARD_BATCH || type == FORWARD_REPLY_BATCH) {
        entriesLeft = buffer.getInt(offset + FORWARDS_COUNT_OFFSET);
        nextEntryOffset = offset + FORWARDS_ENTRIES_OFFSET;
        entryHeaderLength =
            type == FORWARD_BATCH ? FORWARD_ENTRY_HEADER_LENGTH : REPLY_ENTRY_HEADER_LENGTH;
        entryLengthOffset = type == FORWARD_BATCH ? 10 : 9;
      } else if (type == PUBLISH_BATCH) {
        entriesLeft = buffer.getInt(offset + FORWARDS_COUNT_OFFSET);
        nextEntryOffset = offset + FORWARDS_ENTRIES_OFFSET;
        entryHeaderLength = PUBLISH_ENTRY_HEADER_LENGTH;
        entryLengthOffset = 5;
      } else {
        entriesLeft = 0;
      }
      entryOffset = -1;
      return type;
    }

    private void validateForwards(int headerLength, int lengthOffset, boolean slots) {
      if (length < FORWARDS_ENTRIES_OFFSET) {
        throw new MalformedMessageException("length=" + length + " type=" + type + " truncated");
      }
      final int count = buffer.getInt(offset + FORWARDS_COUNT_OFFSET);
      if (count < 0) {
        throw new MalformedMessageException("count=" + count + " negative");
      }
      int at = FORWARDS_ENTRIES_OFFSET;
      for (int i = 0; i < count; i++) {
        if (length - at < headerLength) {
          throw new MalformedMessageException("entry=" + i + " truncated");
        }
        if (slots) {
          checkWireSlot(buffer.getShort(offset + at + 8) & 0xFFFF);
        }
        final int entryLength = buffer.getInt(offset + at + lengthOffset);
        if (entryLength < 0 || entryLength > length - at - headerLength) {
          throw new MalformedMessageException(
              "entry=" + i + " length=" + entryLength + " overruns");
        }
        at += headerLength + entryLength;
      }
      if (at != length) {
        throw new MalformedMessageException("length=" + length + " expected=" + at);
      }
    }

    private void validatePublishes() {
      validateForwards(PUBLISH_ENTRY_HEADER_LENGTH, 5, false);
      int at = offset + FORWARDS_ENTRIES_OFFSET;
      for (int i = buffer.getInt(offset + FORWARDS_COUNT_OFFSET); i > 0; i--) {
        final int kind = buffer.getByte(at) & 0xFF;
        final int channelLength = buffer.getInt(at + 1);
        final int entryLength = buffer.getInt(at + 5);
        if (kind != PUBLISH_CHANNEL && kind != PUBLISH_SHARD) {
          throw new MalformedMessageException("publish kind=" + kind + " unknown");
        }
        if (channelLength < 0 || channelLength > entryLength) {
          throw new MalformedMessageException(
              "channel length=" + channelLength + " entry length=" + entryLength);
        }
        at += PUBLISH_ENTRY_HEADER_LENGTH + entryLength;
      }
    }

    private void validateBatch() {
      if (length < BATCH_ENTRIES_OFFSET) {
        throw new MalformedMessageException("length=" + length + " shorter than a batch header");
      }
      final int count = buffer.getInt(offset + BATCH_COUNT_OFFSET);
      if (count < 0) {
        throw new MalformedMessageException("count=" + count + " negative");
      }
      int at = BATCH_ENTRIES_OFFSET;
      for (int i = 0; i < count; i++) {
        if (length - at < EFFECT_ENTRY_HEADER_LENGTH) {
          throw new MalformedMessageException("entry=" + i + " truncated");
        }
        checkWireSlot(buffer.getShort(offset + at) & 0xFFFF);
        final int entryLength = buffer.getInt(offset + at + 10);
        if (entryLength < 0 || entryLength > length - at - EFFECT_ENTRY_HEADER_LENGTH) {
          throw new MalformedMessageException(
              "entry=" + i + " length=" + entryLength + " overruns");
        }
        at += EFFECT_ENTRY_HEADER_LENGTH + entryLength;
      }
      if (at != length) {
        throw new MalformedMessageException("length=" + length + " expected=" + at);
      }
    }

    private void validateAssignment() {
      if (length < ASSIGNMENT_ENTRIES_OFFSET) {
        throw new MalformedMessageException("length=" + length + " shorter than an assignment");
      }
      final int members = buffer.getShort(offset + ASSIGNMENT_MEMBERS_OFFSET) & 0xFFFF;
      final int k = buffer.getShort(offset + ASSIGNMENT_OWNERS_OFFSET) & 0xFFFF;
      final int ranges = buffer.getInt(offset + ASSIGNMENT_RANGES_OFFSET);
      if (members < 1 || k < 1 || k > members) {
        throw new MalformedMessageException("members=" + members + " ownersPerSlot=" + k);
      }
      if (ranges < 1 || ranges > SlotHash.SLOT_COUNT) {
        throw new MalformedMessageException("ranges=" + ranges + " out of range");
      }
      final long expected = ASSIGNMENT_ENTRIES_OFFSET + (long) ranges * (4 + 2 * k);
      if (expected != length) {
        throw new MalformedMessageException("length=" + length + " expected=" + expected);
      }
      int next = 0;
      int at = offset + ASSIGNMENT_ENTRIES_OFFSET;
      for (int i = 0; i < ranges; i++) {
        final int first = buffer.getShort(at) & 0xFFFF;
        final int last = buffer.getShort(at + 2) & 0xFFFF;
        if (first != next || last < first || last >= SlotHash.SLOT_COUNT) {
          throw new MalformedMessageException("range=" + i + " first=" + first + " last=" + last);
        }
        for (int r = 0; r < k; r++) {
          final int owner = buffer.getShort(at + 4 + 2 * r) & 0xFFFF;
          if (owner >= members) {
            throw new MalformedMessageException("range=" + i + " owner=" + owner);
          }
          for (int q = 0; q < r; q++) {
            if ((buffer.getShort(at + 4 + 2 * q) & 0xFFFF) == owner) {
              throw new MalformedMessageException("range=" + i + " duplicate owner=" + owner);
            }
          }
        }
        next = last + 1;
        at += 4 + 2 * k;
      }
      if (next != SlotHash.SLOT_COUNT) {
        throw new MalformedMessageException("ranges end at slot=" + next);
      }
    }

    private void validateHello() {
      if (length < HELLO_ENDPOINT_OFFSET) {
        throw new MalformedMessageException("length=" + length + " shorter than a hello");
      }
      final int endpointLength = buffer.getShort(offset + HELLO_ENDPOINT_LENGTH_OFFSET) & 0xFFFF;
      if (endpointLength > MAX_ENDPOINT_LENGTH
          || endpointLength != length - HELLO_ENDPOINT_OFFSET) {
        throw new MalformedMessageException("endpointLength=" + endpointLength);
      }
    }

    /** Member count (ASSIGNMENT). */
    public int assignmentMemberCount() {
      return buffer.getShort(offset + ASSIGNMENT_MEMBERS_OFFSET) & 0xFFFF;
    }

    /** Owners per slot (ASSIGNMENT). */
    public int assignmentOwnersPerSlot() {
      return buffer.getShort(offset + ASSIGNMENT_OWNERS_OFFSET) & 0xFFFF;
    }

    /** Owner lists (ASSIGNMENT): slot {@code s} rank {@code r} at {@code [s * k + r]}. */
    public short[] assignmentOwners() {
      final int k = assignmentOwnersPerSlot();
      final short[] owners = new short[SlotHash.SLOT_COUNT * k];
      final int ranges = buffer.getInt(offset + ASSIGNMENT_RANGES_OFFSET);
      int at = offset + ASSIGNMENT_ENTRIES_OFFSET;
      for (int i = 0; i < ranges; i++) {
        final int first = buffer.getShort(at) & 0xFFFF;
        final int last = buffer.getShort(at + 2) & 0xFFFF;
        for (int s = first; s <= last; s++) {
          for (int r = 0; r < k; r++) {
            owners[s * k + r] = buffer.getShort(at + 4 + 2 * r);
          }
        }
        at += 4 + 2 * k;
      }
      return owners;
    }

    /** Node id (HELLO). */
    public String helloNodeId() {
      return buffer.getStringWithoutLengthAscii(offset + HELLO_ID_OFFSET, NODE_ID_LENGTH);
    }

    /** Client endpoint (HELLO). */
    public String helloEndpoint() {
      return buffer.getStringWithoutLengthAscii(
          offset + HELLO_ENDPOINT_OFFSET,
          buffer.getShort(offset + HELLO_ENDPOINT_LENGTH_OFFSET) & 0xFFFF);
    }

    private void validatePayload(int lengthOffset, int payloadOffset) {
      if (length < payloadOffset) {
        throw new MalformedMessageException("length=" + length + " type=" + type + " truncated");
      }
      final int payloadLength = buffer.getInt(offset + lengthOffset);
      if (payloadLength != length - payloadOffset) {
        throw new MalformedMessageException(
            "payloadLength=" + payloadLength + " available=" + (length - payloadOffset));
      }
    }

    private void validateHandoff() {
      if (length < HANDOFF_SLOTS_OFFSET) {
        throw new MalformedMessageException("length=" + length + " shorter than a handoff");
      }
      final int count = buffer.getInt(offset + HANDOFF_COUNT_OFFSET);
      if (count < 0 || count > SlotHash.SLOT_COUNT) {
        throw new MalformedMessageException("count=" + count + " out of range");
      }
      expectLength(HANDOFF_SLOTS_OFFSET + 2 * count);
      for (int i = 0; i < count; i++) {
        checkWireSlot(handoffSlot(i));
      }
    }

    /** HANDOFF: number of slots. */
    public int handoffCount() {
      return buffer.getInt(offset + HANDOFF_COUNT_OFFSET);
    }

    /** HANDOFF: the {@code i}-th slot. */
    public int handoffSlot(int i) {
      return buffer.getShort(offset + HANDOFF_SLOTS_OFFSET + 2 * i) & 0xFFFF;
    }

    private void expectLength(int expected) {
      if (length != expected) {
        throw new MalformedMessageException(
            "length=" + length + " type=" + type + " expected=" + expected);
      }
    }

    private static void checkWireSlot(int slot) {
      if (slot >= SlotHash.SLOT_COUNT) {
        throw new MalformedMessageException("slot=" + slot + " out of range");
      }
    }

    /** Message type. */
    public int type() {
      return type;
    }

    /** View id from the header. */
    public long viewId() {
      return buffer.getLong(offset + VIEW_ID_OFFSET);
    }

    /** View creator high bits from the header. */
    public long viewCreatorHi() {
      return buffer.getLong(offset + VIEW_CREATOR_HI_OFFSET);
    }

    /** View creator low bits from the header. */
    public long viewCreatorLo() {
      return buffer.getLong(offset + VIEW_CREATOR_LO_OFFSET);
    }

    /** Whether the header carries exactly {@code view}. */
    public boolean isView(ViewStamp view) {
      return viewId() == view.id()
          && viewCreatorHi() == view.creatorHi()
          && viewCreatorLo() == view.creatorLo();
    }

    /** Batch sequence (EFFECT_BATCH, BATCH_ACK). */
    public long batchSeq() {
      return buffer.getLong(offset + BATCH_SEQ_OFFSET);
    }

    /** Number of entries (EFFECT_BATCH). */
    public int entryCount() {
      return buffer.getInt(offset + BATCH_COUNT_OFFSET);
    }

    /** Number of entries (FORWARD_BATCH, FORWARD_REPLY_BATCH). */
    public int forwardCount() {
      return buffer.getInt(offset + FORWARDS_COUNT_OFFSET);
    }

    /** Moves to the next batch entry (EFFECT_BATCH, FORWARD_*_BATCH); false after the last. */
    public boolean nextEntry() {
      if (entriesLeft == 0) {
        return false;
      }
      entriesLeft--;
      entryOffset = nextEntryOffset;
      nextEntryOffset =
          entryOffset + entryHeaderLength + buffer.getInt(entryOffset + entryLengthOffset);
      return true;
    }

    /** Slot of the current batch entry (EFFECT_BATCH, FORWARD_BATCH). */
    public int entrySlot() {
      return buffer.getShort(type == FORWARD_BATCH ? entryOffset + 8 : entryOffset) & 0xFFFF;
    }

    /** Kind of the current PUBLISH_BATCH entry. */
    public int entryKind() {
      return buffer.getByte(entryOffset) & 0xFF;
    }

    /** Channel length of the current PUBLISH_BATCH entry; the channel starts the payload. */
    public int entryChannelLength() {
      return buffer.getInt(entryOffset + 1);
    }

    /** Request id of the current entry (FORWARD_BATCH, FORWARD_REPLY_BATCH). */
    public long entryRequestId() {
      return buffer.getLong(entryOffset);
    }

    /** Status of the current entry (FORWARD_REPLY_BATCH). */
    public int entryStatus() {
      return buffer.getByte(entryOffset + 8) & 0xFF;
    }

    /** Slot stream sequence of the current batch entry. */
    public long entrySlotSeq() {
      return buffer.getLong(entryOffset + 2);
    }

    /** Offset in the wrapped buffer of the current entry's effect (command, reply). */
    public int entryPayloadOffset() {
      return entryOffset + entryHeaderLength;
    }

    /** Length of the current entry's effect (command, reply). */
    public int entryPayloadLength() {
      return buffer.getInt(entryOffset + entryLengthOffset);
    }

    /** Request id (FORWARD_REQUEST, FORWARD_REPLY). */
    public long requestId() {
      return buffer.getLong(offset + REQUEST_ID_OFFSET);
    }

    /** Slot (FORWARD_REQUEST, STATE_CHUNK, STATE_DONE). */
    public int slot() {
      return buffer.getShort(
              offset + (type == FORWARD_REQUEST ? FORWARD_SLOT_OFFSET : STATE_SLOT_OFFSET))
          & 0xFFFF;
    }

    /** Reply status (FORWARD_REPLY). */
    public int status() {
      return buffer.getByte(offset + REPLY_STATUS_OFFSET) & 0xFF;
    }

    /** Chunk sequence (STATE_CHUNK). */
    public int chunkSeq() {
      return buffer.getInt(offset + CHUNK_SEQ_OFFSET);
    }

    /** Chunk count (STATE_DONE). */
    public int chunkCount() {
      return buffer.getInt(offset + DONE_COUNT_OFFSET);
    }

    /** Slot stream position at the snapshot (STATE_DONE). */
    public long slotSeq() {
      return buffer.getLong(offset + DONE_SLOT_SEQ_OFFSET);
    }

    /** Offset in the wrapped buffer of the payload (FORWARD_*, STATE_CHUNK). */
    public int payloadOffset() {
      return offset
          + switch (type) {
            case FORWARD_REQUEST -> FORWARD_PAYLOAD_OFFSET;
            case FORWARD_REPLY -> REPLY_PAYLOAD_OFFSET;
            case STATE_CHUNK -> CHUNK_PAYLOAD_OFFSET;
            default -> throw new IllegalStateException("type=" + type + " has no payload");
          };
    }

    /** Length of the payload (FORWARD_*, STATE_CHUNK). */
    public int payloadLength() {
      return offset + length - payloadOffset();
    }

    /** The wrapped buffer. */
    public DirectBuffer buffer() {
      return buffer;
    }
  }
}
