package io.roost.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Directive parsing follows Redis's config.c: units, booleans, enums, ranges and error texts. */
class DirectiveTest {
  private static Directive d(String name) {
    Directive d = Directives.find(name);
    assertNotNull(d, name);
    return d;
  }

  private static String error(String name, String value) {
    return assertThrows(IllegalArgumentException.class, () -> d(name).parse(value)).getMessage();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1024, 1024",
    "5b, 5",
    "1k, 1000",
    "1kb, 1024",
    "1K, 1000",
    "1KB, 1024",
    "2m, 2000000",
    "2mb, 2097152",
    "3g, 3000000000",
    "3gb, 3221225472",
    "3Gb, 3221225472"
  })
  void memoryUnitsAreRedisOnes(String text, long bytes) {
    assertEquals(bytes, Directive.parseMemory(text));
    assertEquals(bytes, d("maxmemory").parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1.5mb", "mb", "1tb", "1 mb", "abc", "99999999999999gb", "0x10"})
  void badMemoryValuesAreRefusedWithRedisText(String text) {
    assertEquals(-1, Directive.parseMemory(text));
    assertEquals("argument must be a memory value", error("maxmemory", text));
  }

  @Test
  void memoryRangeIsChecked() {
    assertEquals(
        "argument must be between 1048576 and 9223372036854775807 inclusive",
        error("proto-max-bulk-len", "1kb"));
    assertEquals(1048576L, d("proto-max-bulk-len").parse("1mb"));
  }

  @Test
  void booleansAreYesOrNoInAnyCase() {
    assertEquals(Boolean.TRUE, d("protected-mode").parse("yes"));
    assertEquals(Boolean.TRUE, d("protected-mode").parse("YES"));
    assertEquals(Boolean.FALSE, d("protected-mode").parse("No"));
    for (String bad : new String[] {"true", "1", "", "y"}) {
      assertEquals("argument must be 'yes' or 'no'", error("protected-mode", bad), bad);
    }
  }

  @Test
  void enumsAreCaseInsensitiveAndListTheChoicesInRedisOrder() {
    assertEquals("allkeys-lru", d("maxmemory-policy").parse("ALLKEYS-LRU"));
    assertEquals(
        "argument(s) must be one of the following: volatile-lru, volatile-lfu,"
            + " volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random,"
            + " noeviction",
        error("maxmemory-policy", "lru"));
    assertEquals(
        "argument(s) must be one of the following: debug, verbose, notice, warning, nothing",
        error("loglevel", "loud"));
  }

  @Test
  void integersFollowRedisRangesAndTexts() {
    assertEquals(5, d("maxmemory-samples").parse("5"));
    assertEquals(64, d("maxmemory-samples").parse("64"));
    assertEquals("argument must be between 1 and 64 inclusive", error("maxmemory-samples", "0"));
    assertEquals("argument must be between 1 and 64 inclusive", error("maxmemory-samples", "65"));
    assertEquals("argument must be between 0 and 65535 inclusive", error("port", "65536"));
    assertEquals(-1L, d("slowlog-log-slower-than").parse("-1"));
    assertEquals(
        "argument must be between -1 and 9223372036854775807 inclusive",
        error("slowlog-log-slower-than", "-2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "", "1.0", "+5", " 5", "5 ", "05", "99999999999999999999", "1k"})
  void integersAreParsedLikeString2ll(String text) {
    assertEquals(
        "argument couldn't be parsed into an integer", error("maxmemory-samples", text), text);
  }

  @Test
  void formatPrintsWhatConfigGetShows() {
    Settings s = Settings.defaults();
    assertEquals("yes", d("protected-mode").format(s));
    assertEquals("noeviction", d("maxmemory-policy").format(s));
    assertEquals("127.0.0.1", d("bind").format(s));
    d("bind").apply(s, "127.0.0.1  ::1");
    assertEquals("127.0.0.1 ::1", d("bind").format(s));
    d("maxmemory").apply(s, "1kb");
    assertEquals("1024", d("maxmemory").format(s));
  }

  @Test
  void everyDefaultParsesAndNamesAreUniqueLowerCase() {
    Set<String> names = new HashSet<>();
    for (Directive x : Directives.ALL) {
      x.parse(x.defaultValue());
      assertEquals(x.name().toLowerCase(Locale.ROOT), x.name());
      assertTrue(names.add(x.name()), x.name());
      for (String a : x.aliases()) {
        assertTrue(names.add(a), a);
        assertSame(x, Directives.find(a.toUpperCase(Locale.ROOT)));
      }
    }
    assertSame(d("maxmemory"), Directives.find("MaxMemory"));
    assertNull(Directives.find("no-such-directive"));
  }

  @Test
  void unsupportedFeaturesRefuseOnApply() {
    Settings s = Settings.defaults();
    assertThrows(IllegalArgumentException.class, () -> d("appendonly").apply(s, "yes"));
    assertThrows(IllegalArgumentException.class, () -> d("save").apply(s, "900 1"));
    d("save").apply(s, "");
    d("appendonly").apply(s, "no");
  }
}
