package io.roost.server.command.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.cluster.SlotHash;
import io.roost.cluster.SlotSet;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The pieces of the whole-cluster keyspace protocol: slot sets, reply reading, SCAN cursors. */
class ClusterKeyspacePartsTest {
  @Test
  void slotSetsRoundTripThroughTheirWireForm() {
    long[] set = SlotSet.empty();
    assertEquals(-1, SlotSet.first(set));
    for (int slot : new int[] {0, 63, 64, 5000, SlotHash.SLOT_COUNT - 1}) {
      SlotSet.add(set, slot);
    }
    byte[] wire = SlotSet.encode(set);
    assertEquals(2048, wire.length);
    assertEquals(1, wire[0]);
    assertArrayEquals(set, SlotSet.decode(wire));
    assertEquals(5, SlotSet.cardinality(set));
    assertEquals(0, SlotSet.first(set));
    assertTrue(SlotSet.contains(set, 5000));
    assertFalse(SlotSet.contains(set, 5001));
    assertNull(SlotSet.decode(new byte[2047]));
    byte[] key = "foo".getBytes(StandardCharsets.US_ASCII);
    long[] foo = SlotSet.empty();
    SlotSet.add(foo, 12182);
    assertTrue(SlotSet.containsKey(foo, new UnsafeBuffer(key), 0, key.length));
  }

  @Test
  void readsInternalReplies() {
    byte[] scan =
        "*2\r\n$20\r\n18446744073709551615\r\n*2\r\n$1\r\na\r\n$0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    ReplyReader r = new ReplyReader(scan);
    assertEquals(2, r.arrayHeader());
    assertEquals(-1L, r.unsignedBulk());
    assertEquals(2, r.arrayHeader());
    int from = r.position();
    assertArrayEquals("a".getBytes(StandardCharsets.US_ASCII), r.bulk());
    r.skipBulk();
    assertEquals(scan.length, r.position());
    assertEquals("$1\r\na\r\n$0\r\n\r\n", new String(scan, from, scan.length - from));

    ReplyReader counts = new ReplyReader(":12\r\n:-3\r\n$-1\r\n".getBytes());
    assertEquals(12, counts.integer());
    assertEquals(-3, counts.integer());
    assertNull(counts.bulk());

    assertTrue(ReplyReader.isError("-TRYAGAIN x\r\n".getBytes()));
    assertTrue(ReplyReader.isError("!5\r\nerror\r\n".getBytes()));
    assertFalse(ReplyReader.isError(":1\r\n".getBytes()));
    assertThrows(IllegalStateException.class, () -> new ReplyReader(":1\r\n".getBytes()).bulk());
    assertThrows(
        IllegalStateException.class, () -> new ReplyReader("$10\r\nab\r\n".getBytes()).bulk());
  }

  @Test
  void scanCursorsAreNeverZeroBeforeTheEnd() {
    long c = ClusterKeyspace.cursor(1, 0, 0);
    assertNotEquals(0, c);
    assertEquals(1, c >>> ClusterKeyspace.STAMP_SHIFT);
    long last = ClusterKeyspace.cursor(0xFFF, 255, ClusterKeyspace.LOCAL_CURSOR_MASK);
    assertEquals(-1L, last);
    long mid = ClusterKeyspace.cursor(7, 2, 12345);
    assertEquals(7, mid >>> ClusterKeyspace.STAMP_SHIFT);
    assertEquals(2, (mid >>> ClusterKeyspace.LOCAL_CURSOR_BITS) & 0xFF);
    assertEquals(12345, mid & ClusterKeyspace.LOCAL_CURSOR_MASK);
  }
}
