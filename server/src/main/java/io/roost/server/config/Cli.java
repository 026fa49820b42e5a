package io.roost.server.config;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line: {@code --config FILE} plus one {@code --name value} option per directive of
 * {@link Directives}. Settings are layered defaults &lt; config file &lt; options.
 */
public final class Cli {
  private Cli() {}

  /** What the command line asked for. */
  public sealed interface Outcome {}

  /** Run a server with these settings. */
  public record Run(Settings settings) implements Outcome {}

  /** Help or version was printed, or the options were bad: exit with this code. */
  public record Exit(int code) implements Outcome {}

  /** Parses {@code args}; help, version and errors are printed to {@code out}/{@code err}. */
  public static Outcome parse(String[] args, String version, PrintWriter out, PrintWriter err) {
    CommandSpec spec = spec(version);
    CommandLine cl = new CommandLine(spec);
    cl.setOut(out);
    cl.setErr(err);
    ParseResult pr;
    try {
      pr = cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("roost: " + e.getMessage());
      cl.usage(err);
      err.flush();
      return new Exit(2);
    }
    if (CommandLine.printHelpIfRequested(pr)) {
      out.flush();
      return new Exit(0);
    }
    Settings settings = Settings.defaults();
    try {
      if (pr.hasMatchedOption("--config")) {
        ConfigFile.load(Path.of(pr.<String>matchedOptionValue("--config", null)), settings);
      }
      for (Directive d : Directives.ALL) {
        String opt = "--" + d.name();
        if (pr.hasMatchedOption(opt)) {
          List<String> values = pr.matchedOption(opt).stringValues();
          String value = values.get(values.size() - 1);
          try {
            d.apply(settings, value);
          } catch (IllegalArgumentException e) {
            String shown = d.sensitive() ? Directive.REDACTED : "'" + value + "'";
            throw new ConfigException("option " + opt + " " + shown + ": " + e.getMessage());
          }
        }
      }
    } catch (ConfigException e) {
      err.println("roost: " + e.getMessage());
      err.flush();
      return new Exit(2);
    }
    return new Run(settings);
  }

  static CommandSpec spec(String version) {
    CommandSpec spec = CommandSpec.create().name("roost").version("Roost " + version);
    spec.mixinStandardHelpOptions(true);
    // As with redis-server, a repeated option is not an error: the last value wins.
    spec.parser().overwrittenOptionsAllowed(true);
    spec.usageMessage()
        .description(
            "A distributed in-memory session store that speaks the Redis protocol.",
            "Settings: defaults < config file < options. Every directive of config/roost.conf"
                + " is also an option.");
    spec.addOption(
        OptionSpec.builder("--config")
            .paramLabel("FILE")
            .type(String.class)
            .description("Redis-style config file (see config/roost.conf).")
            .build());
    for (Directive d : Directives.ALL) {
      String[] names = new String[1 + d.aliases().size()];
      names[0] = "--" + d.name();
      for (int i = 0; i < d.aliases().size(); i++) {
        names[i + 1] = "--" + d.aliases().get(i);
      }
      OptionSpec.Builder b =
          OptionSpec.builder(names)
              .paramLabel(d.kind() == Directive.Kind.BOOL ? "yes|no" : "VALUE")
              .type(String.class)
              .description(d.description() + " Default: '" + d.defaultValue() + "'.");
      if (d.kind() == Directive.Kind.ENUM) {
        b.description(
            d.description() + " One of " + d.choices() + ". Default: " + d.defaultValue());
      }
      spec.addOption(b.build());
    }
    return spec;
  }
}
