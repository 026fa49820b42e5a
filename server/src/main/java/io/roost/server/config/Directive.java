package io.roost.server.config;

import io.netty.buffer.Unpooled;
import io.roost.protocol.RespNumberException;
import io.roost.protocol.RespNumbers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One configuration directive: its name, how a text value is parsed and checked, where it lives in
 * {@link Settings} and how {@code CONFIG GET} prints it. Immutable.
 *
 * <p>Parsing follows Redis's config.c: booleans are {@code yes}/{@code no}, memory values take
 * {@code k kb m mb g gb} suffixes, enums are case-insensitive, and the error texts are Redis's so
 * that {@code CONFIG SET} failures read the same.
 */
public final class Directive {
  /** How a value is written and checked. */
  public enum Kind {
    BOOL,
    INT,
    LONG,
    MEMORY,
    ENUM,
    STRING,
    LIST
  }

  private final String name;
  private final List<String> aliases;
  private final Kind kind;
  private final String defaultValue;
  private final boolean mutable;
  private final boolean sensitive;
  private final boolean concealed;
  private final boolean words;
  private final String description;
  private final long min;
  private final long max;
  private final List<String> choices;
  private final java.util.function.UnaryOperator<String> check;
  private final BiConsumer<Settings, Object> setter;
  private final Function<Settings, Object> getter;

  private Directive(Builder b) {
    this.name = b.name;
    this.aliases = List.copyOf(b.aliases);
    this.kind = b.kind;
    this.defaultValue = b.defaultValue;
    this.mutable = b.mutable;
    this.sensitive = b.sensitive;
    this.concealed = b.concealed;
    this.words = b.words;
    this.description = b.description;
    this.min = b.min;
    this.max = b.max;
    this.choices = List.copyOf(b.choices);
    this.check = b.check;
    this.setter = b.setter;
    this.getter = b.getter;
  }

  public String name() {
    return name;
  }

  public List<String> aliases() {
    return aliases;
  }

  public Kind kind() {
    return kind;
  }

  public String defaultValue() {
    return defaultValue;
  }

  /** True when {@code CONFIG SET} may change it on a running server. */
  public boolean mutable() {
    return mutable;
  }

  /** True for secrets that are never logged. */
  public boolean sensitive() {
    return sensitive;
  }

  /**
   * True for secrets that {@code CONFIG GET} does not reveal either ({@link #shown}) and that
   * {@code CONFIG REWRITE} never adds to a file. {@code requirepass} is sensitive but not
   * concealed, as in Redis.
   */
  public boolean concealed() {
    return concealed;
  }

  /**
   * True for a STRING value made of several words that a config file line writes unquoted, as
   * {@code client-output-buffer-limit pubsub 32mb 8mb 60}.
   */
  public boolean words() {
    return words;
  }

  public String description() {
    return description;
  }

  public List<String> choices() {
    return choices;
  }

  /**
   * Parses {@code text}, checks it and stores it; IllegalArgumentException carries Redis's text.
   */
  public void apply(Settings settings, String text) {
    setter.accept(settings, parse(text));
  }

  /** Checks {@code text} without storing it. */
  public Object parse(String text) {
    switch (kind) {
      case BOOL -> {
        if ("yes".equalsIgnoreCase(text)) {
          return Boolean.TRUE;
        }
        if ("no".equalsIgnoreCase(text)) {
          return Boolean.FALSE;
        }
        throw new IllegalArgumentException("argument must be 'yes' or 'no'");
      }
      case INT, LONG -> {
        long v;
        try {
          // Redis's string2ll: no sign '+', no spaces, no leading zeros.
          byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
          v = RespNumbers.parseLong(Unpooled.wrappedBuffer(b), 0, b.length);
        } catch (RespNumberException e) {
          throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
        checkRange(v);
        return kind == Kind.INT ? (Object) (int) v : (Object) v;
      }
      case MEMORY -> {
        long v = parseMemory(text);
        if (v < 0) {
          throw new IllegalArgumentException("argument must be a memory value");
        }
        checkRange(v);
        return v;
      }
      case ENUM -> {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
          throw new IllegalArgumentException(
              "argument(s) must be one of the following: " + String.join(", ", choices));
        }
        return lower;
      }
      case LIST -> {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
      }
      default -> {
        String problem = check.apply(text);
        if (problem != null) {
          throw new IllegalArgumentException(problem);
        }
        return text;
      }
    }
  }

  private void checkRange(long v) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          "argument must be between " + min + " and " + max + " inclusive");
    }
  }

  /** The value as {@code CONFIG GET} prints it. */
  public String format(Settings settings) {
    Object v = getter.apply(settings);
    return switch (kind) {
      case BOOL -> ((Boolean) v) ? "yes" : "no";
      case LIST -> String.join(" ", (String[]) v);
      default -> String.valueOf(v);
    };
  }

  /**
   * The value as {@code CONFIG GET} shows it: {@link #format}, except that a concealed value reads
   * {@code (redacted)} when set (and the empty string when not).
   */
  public String shown(Settings settings) {
    String value = format(settings);
    return concealed && !value.isEmpty() ? REDACTED : value;
  }

  /** What stands for a concealed value in replies and error messages. */
  public static final String REDACTED = "(redacted)";

  /**
   * Parses a Redis memory value ({@code 1gb}, {@code 100mb}, {@code 64k}, {@code 1024}); returns -1
   * when it is not one.
   */
  public static long parseMemory(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    long mul = 1;
    String[][] units = {
      {"kb", "1024"},
      {"mb", "1048576"},
      {"gb", "1073741824"},
      {"k", "1000"},
      {"m", "1000000"},
      {"g", "1000000000"},
      {"b", "1"}
    };
    for (String[] u : units) {
      if (s.endsWith(u[0])) {
        mul = Long.parseLong(u[1]);
        s = s.substring(0, s.length() - u[0].length());
        break;
      }
    }
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    try {
      return Math.multiplyExact(Long.parseLong(s), mul);
    } catch (ArithmeticException | NumberFormatException e) {
      return -1;
    }
  }

  static Builder builder(String name, Kind kind, String defaultValue) {
    return new Builder(name, kind, defaultValue);
  }

  /** Builds a directive; used only by {@link Directives}. */
  static final class Builder {
    private final String name;
    private final Kind kind;
    private final String defaultValue;
    private List<String> aliases = List.of();
    private boolean mutable = true;
    private boolean sensitive;
    private boolean concealed;
    private boolean words;
    private String description = "";
    private long min = Long.MIN_VALUE;
    private long max = Long.MAX_VALUE;
    private List<String> choices = List.of();
    private java.util.function.UnaryOperator<String> check = v -> null;
    private BiConsumer<Settings, Object> setter;
    private Function<Settings, Object> getter;

    private Builder(String name, Kind kind, String defaultValue) {
      this.name = name;
      this.kind = kind;
      this.defaultValue = defaultValue;
    }

    Builder aliases(String... a) {
      aliases = List.of(a);
      return this;
    }

    Builder immutable() {
      mutable = false;
      return this;
    }

    Builder sensitive() {
      sensitive = true;
      return this;
    }

    /** Sensitive, and not shown by {@code CONFIG GET} either. */
    Builder concealed() {
      sensitive = true;
      concealed = true;
      return this;
    }

    /** The value may be several words on a config file line; see {@link Directive#words()}. */
    Builder words() {
      words = true;
      return this;
    }

    Builder describe(String text) {
      description = text;
      return this;
    }

    Builder range(long lo, long hi) {
      min = lo;
      max = hi;
      return this;
    }

    /** A check for STRING values: returns the problem, or null when the value is fine. */
    Builder check(java.util.function.UnaryOperator<String> c) {
      check = c;
      return this;
    }

    Builder choices(String... c) {
      choices = List.of(c);
      return this;
    }

    @SuppressWarnings("unchecked")
    <T> Builder field(Function<Settings, T> get, BiConsumer<Settings, T> set) {
      getter = (Function<Settings, Object>) get;
      setter = (BiConsumer<Settings, Object>) set;
      return this;
    }

    Directive build() {
      return new Directive(this);
    }
  }
}
