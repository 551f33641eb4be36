package dev.haps.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.error.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from the configuration file's JSON, with {@code ${env:NAME}} resolved in strings;
 * every error names the file and the key.
 */
final class ConfigReader {

  private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private final String file;
  private final Path baseDir;
  private final UnaryOperator<String> env;

  ConfigReader(String file, Path baseDir, UnaryOperator<String> env) {
    this.file = file;
    this.baseDir = baseDir;
    this.env = env;
  }

  UnaryOperator<String> env() {
    return env;
  }

  String file() {
    return file;
  }

  /** The directory relative paths resolve against; empty: the working directory. */
  Optional<Path> baseDir() {
    return Optional.ofNullable(baseDir);
  }

  String text(String where, JsonNode v) {
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      throw error(where, "must be a string");
    }
    return resolve(where, v.asText());
  }

  String resolve(String where, String raw) {
    Matcher m = ENV_REF.matcher(raw);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (value == null) {
        throw error(where, "references environment variable " + m.group(1) + ", which is not"
            + " set; export " + m.group(1) + " or write the value in the file");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  double number(String where, JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      return parseNumber(where, text(where, v));
    }
    throw error(where, "must be a number");
  }

  double parseNumber(String where, String s) {
    try {
      double d = Double.parseDouble(s.trim());
      if (!Double.isFinite(d)) {
        throw error(where, "= '" + s + "' is not a finite number");
      }
      return d;
    } catch (NumberFormatException e) {
      throw error(where, "= '" + s + "' is not a number");
    }
  }

  int integer(String where, JsonNode v, int min, int max) {
    double d = number(where, v);
    if (d != Math.rint(d) || d < min || d > max) {
      throw error(where, "= " + v + " must be a whole number in [" + min + ", " + max + "]");
    }
    return (int) d;
  }

  boolean flag(String where, JsonNode v) {
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual()) {
      return parseFlag(where, text(where, v));
    }
    throw error(where, "must be true or false");
  }

  boolean parseFlag(String where, String s) {
    return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw error(where, "= '" + s + "' must be true or false");
    };
  }

  Duration duration(String where, JsonNode v) {
    if (v.isIntegralNumber()) {
      return positive(where, Duration.ofMillis(v.asLong()));
    }
    if (v.isTextual()) {
      return parseDuration(where, text(where, v));
    }
    throw error(where, "must be a duration: milliseconds (30000) or ISO-8601 (\"PT30S\")");
  }

  Duration parseDuration(String where, String raw) {
    String s = raw.trim();
    try {
      return positive(where,
          s.matches("\\d+") ? Duration.ofMillis(Long.parseLong(s)) : Duration.parse(s));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw error(where, "= '" + s + "' is not a duration; use milliseconds (30000) or"
          + " ISO-8601 (\"PT30S\")");
    }
  }

  private Duration positive(String where, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw error(where, "= " + d + " must be positive");
    }
    return d;
  }

  Path path(String where, JsonNode v) {
    return resolvePath(text(where, v));
  }

  Path resolvePath(String p) {
    Path path = Path.of(p);
    return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
  }

  void onlyKeys(JsonNode node, String where, Set<String> allowed) {
    if (!node.isObject()) {
      throw error(where, "must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw error(where.isEmpty() ? k : where + "." + k, "is not a known key; known here: "
            + new TreeSet<>(allowed));
      }
    }
  }

  ConfigurationException error(String where, String what) {
    return new ConfigurationException("config " + file
        + (where.isEmpty() ? "" : ": \"" + where + "\"") + " " + what);
  }
}
