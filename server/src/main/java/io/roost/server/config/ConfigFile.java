package io.roost.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Redis-style config file: one {@code directive value...} per line, {@code #} comments,
 * values quoted as Redis quotes them ({@code "a b"} with backslash escapes, {@code 'a b'}).
 *
 * <p>Every line is checked; the first unknown directive or bad value stops start-up with the file,
 * the line number and the reason.
 */
public final class ConfigFile {
  private ConfigFile() {}

  /** Applies every directive of {@code file} to {@code settings}. */
  public static void load(Path file, Settings settings) throws ConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("config file " + file + ": cannot read: " + e.getMessage());
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "config file " + file + " line " + (i + 1) + ": ";
      List<String> words = split(line);
      if (words == null) {
        Directive named = Directives.find(line.split("\\s+", 2)[0]);
        String shown = named != null && named.sensitive() ? named.name() + " ..." : line;
        throw new ConfigException(where + "unbalanced quotes in '" + shown + "'");
      }
      Directive d = Directives.find(words.get(0));
      if (d == null) {
        throw new ConfigException(where + "unknown directive '" + words.get(0) + "'");
      }
      if (words.size() < 2 && d.kind() != Directive.Kind.STRING) {
        throw new ConfigException(where + "'" + d.name() + "' needs a value");
      }
      String value =
          d.kind() == Directive.Kind.LIST || d.words()
              ? String.join(" ", words.subList(1, words.size()))
              : words.size() < 2 ? "" : words.get(1);
      if (words.size() > 2 && d.kind() != Directive.Kind.LIST && !d.words()) {
        throw new ConfigException(where + "'" + d.name() + "' takes one value");
      }
      try {
        d.apply(settings, value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + "bad value for '" + d.name() + "': " + e.getMessage());
      }
    }
    settings.configFile = file.toAbsolutePath().toString();
  }

  /**
   * Splits a line into words the way Redis's config reader does; null on unbalanced quotes. Cold
   * path: runs once per line at start-up.
   */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return out;
      }
      StringBuilder word = new StringBuilder();
      boolean inDouble = false;
      boolean inSingle = false;
      while (true) {
        if (i >= n) {
          if (inDouble || inSingle) {
            return null;
          }
          break;
        }
        char c = line.charAt(i);
        if (inDouble) {
          if (c == '\\' && i + 1 < n) {
            char e = line.charAt(++i);
            if (e == 'x' && i + 2 < n && isHex(line.charAt(i + 1)) && isHex(line.charAt(i + 2))) {
              word.append((char) Integer.parseInt(line.substring(i + 1, i + 3), 16));
              i += 2;
            } else {
              word.append(
                  switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'b' -> '\b';
                    case 'a' -> (char) 7;
                    default -> e;
                  });
            }
          } else if (c == '"') {
            if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
              return null;
            }
            inDouble = false;
            i++;
            break;
          } else {
            word.append(c);
          }
        } else if (inSingle) {
          if (c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
            word.append('\'');
            i++;
          } else if (c == '\'') {
            if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
              return null;
            }
            inSingle = false;
            i++;
            break;
          } else {
            word.append(c);
          }
        } else if (Character.isWhitespace(c)) {
          break;
        } else if (c == '"') {
          inDouble = true;
        } else if (c == '\'') {
          inSingle = true;
        } else {
          word.append(c);
        }
        i++;
      }
      out.add(word.toString());
    }
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
