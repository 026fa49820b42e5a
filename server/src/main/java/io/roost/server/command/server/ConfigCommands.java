package io.roost.server.command.server;

import io.roost.protocol.RespWriter;
import io.roost.server.Server;
import io.roost.server.command.Call;
import io.roost.server.command.Help;
import io.roost.server.config.ConfigFile;
import io.roost.server.config.Directive;
import io.roost.server.config.Directives;
import io.roost.server.config.Settings;
import io.roost.store.GlobMatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** The {@code CONFIG} family: GET, SET, RESETSTAT, REWRITE, HELP. */
public final class ConfigCommands {
  private ConfigCommands() {}

  /**
   * {@code CONFIG GET pattern [pattern ...]}: a map of every matching name to its value; a
   * concealed secret ({@code cluster-secret}) reads {@code (redacted)}.
   */
  public static void get(Call call) {
    Settings settings = call.server().settings();
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 2; i < call.argc(); i++) {
      byte[] pattern = call.argBytes(i);
      String p = new String(pattern, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
      boolean glob = p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0;
      if (!glob) {
        // As Redis: an exact name is looked up ignoring case and echoed as the client wrote it.
        Directive d = Directives.find(p);
        if (d != null) {
          out.putIfAbsent(new String(pattern, StandardCharsets.ISO_8859_1), d.shown(settings));
        }
        continue;
      }
      for (Directive d : Directives.ALL) {
        if (nameMatches(call.buf(), call.offset(i), call.length(i), d.name())) {
          out.putIfAbsent(d.name(), d.shown(settings));
        }
        for (String alias : d.aliases()) {
          if (nameMatches(call.buf(), call.offset(i), call.length(i), alias)) {
            out.putIfAbsent(alias, d.shown(settings));
          }
        }
      }
    }
    RespWriter r = call.reply();
    r.mapHeader(out.size());
    for (Map.Entry<String, String> e : out.entrySet()) {
      r.bulk(e.getKey());
      r.bulk(e.getValue());
    }
  }

  /**
   * Whether the ASCII {@code name} matches the glob pattern at {@code offset}, ignoring ASCII case,
   * by Redis's stringmatch rules (the store's {@link GlobMatcher}); also serves COMMAND LIST
   * FILTERBY PATTERN. Cold path: copies the name.
   */
  static boolean nameMatches(DirectBuffer pattern, int offset, int length, String name) {
    UnsafeBuffer n = new UnsafeBuffer(name.getBytes(StandardCharsets.US_ASCII));
    return GlobMatcher.matches(pattern, offset, length, n, 0, n.capacity(), true);
  }

  /**
   * {@code CONFIG SET name value [name value ...]}: all or nothing, checked in Redis's order (every
   * name first, then every value); a failure while applying restores the values already applied.
   */
  public static void set(Call call) {
    if ((call.argc() - 2) % 2 != 0) {
      call.syntaxError();
      return;
    }
    Server server = call.server();
    List<Directive> directives = new ArrayList<>();
    Set<Directive> seen = new LinkedHashSet<>();
    for (int i = 2; i < call.argc(); i += 2) {
      String name = call.argString(i);
      Directive d = Directives.find(name);
      if (d == null) {
        call.reply()
            .error("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
        return;
      }
      String problem = null;
      if (!d.mutable()) {
        problem = "can't set immutable config";
      } else if (!seen.add(d)) {
        problem = "duplicate parameter";
      }
      if (problem != null) {
        // Redis names the argument as the client wrote it for these two.
        failed(call, name, problem);
        return;
      }
      directives.add(d);
    }
    for (int k = 0; k < directives.size(); k++) {
      try {
        directives.get(k).parse(call.argString(3 + 2 * k));
      } catch (IllegalArgumentException e) {
        failed(call, directives.get(k).name(), e.getMessage());
        return;
      }
    }
    Settings settings = server.settings();
    List<String> old = new ArrayList<>();
    for (Directive d : directives) {
      old.add(d.format(settings));
    }
    for (int k = 0; k < directives.size(); k++) {
      Directive d = directives.get(k);
      try {
        d.apply(settings, call.argString(3 + 2 * k));
      } catch (IllegalArgumentException e) {
        // Parsed above; a setter may still refuse (save, appendonly): undo what was applied.
        for (int u = 0; u < k; u++) {
          directives.get(u).apply(settings, old.get(u));
        }
        failed(call, d.name(), e.getMessage());
        return;
      }
    }
    for (Directive d : directives) {
      server.configChanged(d);
    }
    call.reply().ok();
  }

  private static void failed(Call call, String name, String problem) {
    call.reply()
        .error("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + problem);
  }

  public static void resetStat(Call call) {
    call.server().stats().reset(System.currentTimeMillis());
    call.reply().ok();
  }

  /**
   * {@code CONFIG REWRITE}: rewrites the config file with the current values, keeping comments and
   * the order of existing lines, and appending changed directives that the file lacked — except
   * concealed secrets, which are only rewritten where the file already holds them (a secret given
   * on the command line is not copied into the file).
   */
  public static void rewrite(Call call) {
    Settings settings = call.server().settings();
    if (settings.configFile.isEmpty()) {
      call.reply().error("ERR The server is running without a config file");
      return;
    }
    Path file = Path.of(settings.configFile);
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      Set<Directive> written = new LinkedHashSet<>();
      List<String> out = new ArrayList<>();
      for (String line : lines) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          out.add(line);
          continue;
        }
        String name = t.split("\\s+", 2)[0];
        Directive d = Directives.find(name);
        if (d == null || !written.add(d)) {
          continue;
        }
        out.add(d.name() + " " + quote(d.format(settings)));
      }
      for (Directive d : Directives.ALL) {
        if (!written.contains(d)
            && !d.concealed()
            && !d.format(settings).equals(d.format(Settings.defaults()))) {
          out.add(d.name() + " " + quote(d.format(settings)));
        }
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, out, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      ConfigFile.load(file, Settings.defaults());
      call.reply().ok();
    } catch (IOException | io.roost.server.config.ConfigException e) {
      call.reply().error("ERR Rewriting config file: " + e.getMessage());
    }
  }

  private static String quote(String v) {
    if (!v.isEmpty() && v.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\'')) {
      return v;
    }
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public static void help(Call call) {
    Help.reply(
        call,
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Print this help.");
  }
}
