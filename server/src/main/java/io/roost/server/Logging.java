package io.roost.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps Redis's {@code loglevel} and {@code logfile} onto Logback. Called at start-up and by CONFIG
 * SET.
 */
final class Logging {
  private Logging() {}

  static void level(String redisLevel) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    Level level =
        switch (redisLevel) {
          case "debug" -> Level.DEBUG;
          case "verbose" -> Level.DEBUG;
          case "warning" -> Level.WARN;
          case "nothing" -> Level.OFF;
          default -> Level.INFO;
        };
    ctx.getLogger("io.roost").setLevel(level);
  }

  /** Sends every log line to {@code path} instead of the console appender. */
  static void file(String path) {
    if (path.isEmpty() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{dd MMM yyyy HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(ctx);
    appender.setName("file");
    appender.setFile(path);
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }
}
