package dev.haps.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters that validate while parsing, so bad input is a usage error (exit code 2)
 * reported before any work starts, with the offending value and what to do.
 */
final class Converters {

  private Converters() {}

  /** A cost weight: a number in [0, 1]. */
  static final class CostWeight implements ITypeConverter<Double> {
    CostWeight() {}

    @Override
    public Double convert(String value) {
      return parse(value);
    }

    static double parse(String value) {
      double w;
      try {
        w = Double.parseDouble(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number; give a cost weight"
            + " from 0 (best quality) to 1 (lowest cost), e.g. 0.5");
      }
      if (!(w >= 0.0 && w <= 1.0)) {
        throw new TypeConversionException("cost weight " + value + " is outside [0, 1]; use 0"
            + " for best quality, 1 for lowest cost, or a value in between");
      }
      return w;
    }
  }

  /** A path that must name an existing regular file. */
  static final class ExistingFile implements ITypeConverter<Path> {
    ExistingFile() {}

    @Override
    public Path convert(String value) {
      Path p = path(value);
      if (!Files.exists(p)) {
        throw new TypeConversionException("file " + p + " does not exist; check the path");
      }
      if (!Files.isRegularFile(p)) {
        throw new TypeConversionException(p + " is not a file; give the path of a file");
      }
      if (!Files.isReadable(p)) {
        throw new TypeConversionException("file " + p + " is not readable; check its permissions");
      }
      return p;
    }
  }

  /** A path that must name an existing directory. */
  static final class ExistingDirectory implements ITypeConverter<Path> {
    ExistingDirectory() {}

    @Override
    public Path convert(String value) {
      Path p = path(value);
      if (!Files.exists(p)) {
        throw new TypeConversionException("directory " + p + " does not exist; check the path");
      }
      if (!Files.isDirectory(p)) {
        throw new TypeConversionException(p + " is not a directory; give a directory");
      }
      return p;
    }
  }

  /**
   * A folder the command writes into: an existing writable directory, or a path that does not
   * exist yet (created later) whose nearest existing ancestor is a writable directory.
   */
  static final class OutputFolder implements ITypeConverter<Path> {
    OutputFolder() {}

    @Override
    public Path convert(String value) {
      Path p = path(value);
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new TypeConversionException(p + " is a file, not a folder; give a folder (it is"
              + " created if missing)");
        }
        if (!Files.isWritable(p)) {
          throw new TypeConversionException("folder " + p + " is not writable; check its"
              + " permissions or give another folder");
        }
        return p;
      }
      Path parent = p.toAbsolutePath().getParent();
      while (parent != null && !Files.exists(parent)) {
        parent = parent.getParent();
      }
      if (parent != null && (!Files.isDirectory(parent) || !Files.isWritable(parent))) {
        throw new TypeConversionException("cannot create folder " + p + ": " + parent
            + (Files.isDirectory(parent) ? " is not writable" : " is a file") + "; give a"
            + " folder you can write to");
      }
      return p;
    }
  }

  /** A router bundle: an existing directory or zip file. */
  static final class ExistingBundle implements ITypeConverter<Path> {
    ExistingBundle() {}

    @Override
    public Path convert(String value) {
      Path p = path(value);
      if (!Files.exists(p)) {
        throw new TypeConversionException("bundle " + p + " does not exist; give a bundle"
            + " directory or .zip (manifest.json + router.onnx), or omit --bundle for the"
            + " default bundle");
      }
      return p;
    }
  }

  static Path path(String value) {
    if (value.isBlank()) {
      throw new TypeConversionException("the path is empty; give a file or directory");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new TypeConversionException("'" + value + "' is not a valid path: " + e.getReason());
    }
  }

  /**
   * An exploration policy: {@code none}, {@code epsilon:E}, {@code epsilon:E:MARGIN} or
   * {@code softmax:T:FLOOR}.
   */
  static final class ExplorationSpec implements ITypeConverter<dev.haps.api.Exploration> {
    ExplorationSpec() {}

    @Override
    public dev.haps.api.Exploration convert(String value) {
      String[] p = value.strip().toLowerCase(java.util.Locale.ROOT).split(":");
      try {
        switch (p[0]) {
          case "none":
            if (p.length == 1) {
              return dev.haps.api.Exploration.none();
            }
            break;
          case "epsilon":
            if (p.length == 2) {
              return dev.haps.api.Exploration.epsilonGreedy(Double.parseDouble(p[1]));
            }
            if (p.length == 3) {
              return dev.haps.api.Exploration.epsilonGreedy(Double.parseDouble(p[1]),
                  Double.parseDouble(p[2]));
            }
            break;
          case "softmax":
            if (p.length == 3) {
              return dev.haps.api.Exploration.softmax(Double.parseDouble(p[1]),
                  Double.parseDouble(p[2]));
            }
            break;
          default:
            break;
        }
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("exploration '" + value + "': " + e.getMessage());
      }
      throw new TypeConversionException("exploration '" + value + "' is not one of none,"
          + " epsilon:E, epsilon:E:MARGIN, softmax:T:FLOOR (e.g. epsilon:0.1)");
    }
  }
}
