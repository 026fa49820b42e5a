package io.roost.cluster;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SlotHashTest {
  @Test
  void crc16MatchesTheXmodemCheckValue() {
    final byte[] check = "123456789".getBytes(US_ASCII);
    assertEquals(0x31C3, SlotHash.crc16(check, 0, check.length));
    assertEquals(0x31C3, SlotHash.crc16(new UnsafeBuffer(check), 0, check.length));
  }

  @Test
  void knownSlotsFromTheRedisClusterSpec() {
    assertEquals(12182, slot("foo"));
    assertEquals(slot("{user1000}.following"), slot("{user1000}.followers"));
    assertEquals(slot("user1000"), slot("{user1000}.following"));
    assertEquals(SlotHash.crc16(bytes("foo{}{bar}"), 0, 10) & 16383, slot("foo{}{bar}"));
    assertEquals(slot("{bar"), slot("foo{{bar}}zap"));
    assertEquals(slot("bar"), slot("foo{bar}{zap}"));
    assertEquals(0, slot(""));
  }

  @Test
  void offsetAndLengthSelectTheKey() {
    final byte[] framed = bytes("xx{user1000}.followingyy");
    assertEquals(slot("user1000"), SlotHash.slot(framed, 2, framed.length - 4));
    final byte[] unclosed = bytes("{abc}");
    // "{abc" has no closing brace inside the range: the whole range is hashed.
    assertEquals(slot("{abc"), SlotHash.slot(unclosed, 0, 4));
    assertEquals(slot("user1000"), SlotHash.slot(new UnsafeBuffer(framed), 3, 8));
  }

  /** Vectors recorded from redis-server 7.0.15 {@code CLUSTER KEYSLOT}, binary keys included. */
  @Test
  void matchesRedisServerVectors() throws IOException {
    int checked = 0;
    try (InputStream in = SlotHashTest.class.getResourceAsStream("/redis-keyslot-vectors.txt")) {
      assertNotNull(in);
      final BufferedReader reader = new BufferedReader(new InputStreamReader(in, US_ASCII));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        final String[] parts = line.split(" ");
        final byte[] key = "-".equals(parts[0]) ? new byte[0] : HexFormat.of().parseHex(parts[0]);
        final int expected = Integer.parseInt(parts[1]);
        assertEquals(expected, SlotHash.slot(key), "key=" + parts[0]);
        assertEquals(expected, SlotHash.slot(new UnsafeBuffer(key), 0, key.length), parts[0]);
        checked++;
      }
    }
    assertEquals(100, checked);
  }

  @Property
  void byteArrayAndDirectBufferAgree(@ForAll @Size(max = 64) byte[] key) {
    final byte[] framed = new byte[key.length + 3];
    System.arraycopy(key, 0, framed, 1, key.length);
    final int expected = SlotHash.slot(key);
    assertEquals(expected, SlotHash.slot(framed, 1, key.length));
    assertEquals(expected, SlotHash.slot(new UnsafeBuffer(framed), 1, key.length));
  }

  @Property
  void keysSharingANonEmptyTagShareASlot(
      @ForAll @Size(min = 1, max = 16) String tag,
      @ForAll @Size(max = 16) String prefix,
      @ForAll @Size(max = 16) String suffix) {
    final String cleanTag = tag.replace("{", "").replace("}", "");
    final String cleanPrefix = prefix.replace("{", "");
    if (cleanTag.isEmpty()) {
      return;
    }
    final byte[] key =
        (cleanPrefix + "{" + cleanTag + "}" + suffix)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(
        SlotHash.slot(cleanTag.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        SlotHash.slot(key));
  }

  private static int slot(String key) {
    return SlotHash.slot(bytes(key));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(US_ASCII);
  }
}
