package io.roost.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the compatibility tests find the Node project and put their logs; set by the POM. */
final class CompatPaths {
  private CompatPaths() {}

  /** {@code compat/node}: package.json, the lock file and the Node scenario. */
  static Path nodeDir() {
    return Path.of(System.getProperty("roost.compat.nodeDir", "node")).toAbsolutePath();
  }

  /** The repository root: {@code scripts/} and {@code server/target/roost.jar}. */
  static Path rootDir() {
    return Path.of(System.getProperty("roost.compat.rootDir", "..")).toAbsolutePath().normalize();
  }

  /** {@code compat/target/compat}, created on first use: logs of the processes the tests start. */
  static Path workDir() {
    Path dir =
        Path.of(System.getProperty("roost.compat.workDir", "target/compat")).toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create dir=" + dir, e);
    }
  }
}
