package io.roost.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.roost.protocol.CommandFrame;
import io.roost.protocol.RespDecoder;
import io.roost.protocol.RespLimits;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command table: one spec and one handler per command and subcommand, found by bytes. */
class CommandTableTest {
  private final CommandTable table = Commands.table();

  /** Decodes {@code words} as one multibulk command and runs {@code check} on the frame. */
  private static <T> T withFrame(
      java.util.function.Function<CommandFrame, T> check, String... words) {
    StringBuilder sb = new StringBuilder("*").append(words.length).append("\r\n");
    for (String w : words) {
      sb.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
    }
    ByteBuf in = Unpooled.copiedBuffer(sb, StandardCharsets.ISO_8859_1);
    try {
      CommandFrame frame = new CommandFrame();
      assertTrue(new RespDecoder(RespLimits.DEFAULTS).decode(in, frame));
      return check.apply(frame);
    } finally {
      in.release();
    }
  }

  @Test
  void everyCommandAndSubcommandHasExactlyOneSpecAndOneHandler() {
    Set<CommandSpec> specs = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Command> handlers = Collections.newSetFromMap(new IdentityHashMap<>());
    int expected = 0;
    for (CommandSpec top : table.commands()) {
      expected += 1 + top.subcommands().size();
      assertTrue(specs.add(top), top.fullName());
      if (top.handler() != null) {
        assertTrue(handlers.add(top.handler()), "handler shared by " + top.fullName());
      }
      if (!top.container()) {
        assertNotNull(top.handler(), top.fullName());
      }
      for (CommandSpec sub : top.subcommands()) {
        assertTrue(specs.add(sub), sub.fullName());
        assertNotNull(sub.handler(), sub.fullName());
        assertTrue(handlers.add(sub.handler()), "handler shared by " + sub.fullName());
        assertTrue(sub.subcommands().isEmpty(), sub.fullName());
        assertEquals(top.name() + "|" + sub.name(), sub.fullName());
      }
    }
    assertEquals(expected, table.all().size());
    for (CommandSpec s : table.all()) {
      assertTrue(specs.contains(s), s.fullName());
    }
  }

  @Test
  void internalCommandsAreFlaggedAndNamedAsSuch() {
    int internal = 0;
    for (CommandSpec s : table.all()) {
      assertEquals(s.name().startsWith("roost."), s.has(Flag.INTERNAL), s.fullName());
      internal += s.has(Flag.INTERNAL) ? 1 : 0;
    }
    assertTrue(internal > 0);
  }

  @Test
  void idsAreDenseAndIndexAll() {
    List<CommandSpec> all = table.all();
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, all.get(i).id(), all.get(i).fullName());
    }
  }

  @Test
  void namesAreUniqueAndLowerCase() {
    Set<String> names = new HashSet<>();
    for (CommandSpec s : table.all()) {
      assertEquals(s.fullName().toLowerCase(Locale.ROOT), s.fullName());
      assertTrue(names.add(s.fullName()), "duplicate " + s.fullName());
      assertTrue(s.arity() != 0, s.fullName());
    }
    for (CommandSpec top : table.commands()) {
      Set<String> subs = new HashSet<>();
      for (CommandSpec sub : top.subcommands()) {
        assertTrue(subs.add(sub.name()), sub.fullName());
      }
    }
  }

  @Test
  void lookupIgnoresCaseAndFindsEveryCommand() {
    for (CommandSpec s : table.commands()) {
      String n = s.name();
      assertSame(s, withFrame(f -> table.lookup(f, 0), n));
      assertSame(s, withFrame(f -> table.lookup(f, 0), n.toUpperCase(Locale.ROOT)));
      assertSame(s, withFrame(f -> table.lookup(f, 0), mixed(n)));
      assertSame(s, table.find(n.toUpperCase(Locale.ROOT)));
      for (CommandSpec sub : s.subcommands()) {
        assertSame(sub, withFrame(f -> s.subcommand(f, 1), n, mixed(sub.name())));
      }
    }
  }

  @Test
  void lookupOfUnknownNamesIsNull() {
    for (String n : new String[] {"", "pin", "pingg", "xping", "client|id", "p\u00c9ng"}) {
      assertNull(withFrame(f -> table.lookup(f, 0), n), n);
    }
    assertNull(withFrame(f -> table.lookup(f, 0), "PIN@"));
    assertNull(table.find("nope"));
    CommandSpec client = table.find("client");
    assertNull(withFrame(f -> client.subcommand(f, 1), "client", "nope"));
  }

  @Test
  void tableRefusesDuplicatesAndUpperCaseNames() {
    CommandSpec a = CommandSpec.command("x", 1).handler(c -> {}).build();
    CommandSpec b = CommandSpec.command("x", 2).handler(c -> {}).build();
    assertThrows(IllegalArgumentException.class, () -> new CommandTable(List.of(a, b)));
    assertThrows(IllegalArgumentException.class, () -> CommandSpec.command("Ping", 1));
    assertThrows(IllegalArgumentException.class, () -> CommandSpec.command("nothing", 1).build());
  }

  @Test
  void arityFollowsRedisRules() {
    CommandSpec echo = table.find("echo");
    assertTrue(echo.arityAccepts(2));
    assertTrue(!echo.arityAccepts(1) && !echo.arityAccepts(3));
    CommandSpec ping = table.find("ping");
    assertTrue(ping.arityAccepts(1) && ping.arityAccepts(5));
    CommandSpec client = table.find("client");
    assertTrue(!client.arityAccepts(1) && client.arityAccepts(2));
  }

  private static String mixed(String n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      sb.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }
}
