package dev.haps.data.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.error.ConfigurationException;
import dev.haps.data.JsonProblems;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from a JSON configuration file, written once for the client's, the collector's
 * and the server's files: numbers, whole numbers, flags, durations (milliseconds or ISO-8601),
 * paths against the file's folder, strings with {@code ${env:NAME}} resolved, and unknown keys
 * refused. Every error names the file and the key: {@code <source>: "<key>" <what>}.
 *
 * <p>Internal to the SDK (see the package); immutable and thread-safe if the environment is.
 *
 * @since 0.1.0
 */
public final class JsonConfigReader {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private static final String DURATION_FORMS = "milliseconds (30000) or ISO-8601 (\"PT30S\")";

  private final String source;
  private final String file;
  private final Path baseDir;
  private final UnaryOperator<String> env;

  /**
   * A reader for one file.
   *
   * @param kind what the file is, e.g. {@code "config file"}
   * @param file the file's name or path, e.g. {@code "haps.json"}; messages start with
   *     {@code kind + " " + file}
   * @param baseDir what relative paths resolve against; {@code null}: the working directory
   * @param env variable name to value ({@code null} when unset); {@code null}: strings are taken
   *     as written, without resolving {@code ${env:NAME}}
   */
  public JsonConfigReader(String kind, String file, Path baseDir, UnaryOperator<String> env) {
    this.source = kind + " " + file;
    this.file = file;
    this.baseDir = baseDir;
    this.env = env;
  }

  /**
   * Parses JSON, reporting a syntax error with its line and column.
   *
   * @param source how messages start, e.g. {@code "config file haps.json"}
   * @param json the bytes (UTF-8)
   * @return the tree; {@code null} for empty input
   * @throws ConfigurationException if the bytes are not JSON
   */
  public static JsonNode parse(String source, byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(source + " is not valid JSON: " + JsonProblems.message(e)
          + " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")", e);
    } catch (IOException e) {
      throw new ConfigurationException(source + " cannot be read (" + e + ")", e);
    }
  }

  /**
   * How messages start.
   *
   * @return {@code kind + " " + file}
   */
  public String source() {
    return source;
  }

  /**
   * The file's name or path, as given.
   *
   * @return the file
   */
  public String file() {
    return file;
  }

  /**
   * What relative paths resolve against.
   *
   * @return the directory; empty: the working directory
   */
  public Optional<Path> baseDir() {
    return Optional.ofNullable(baseDir);
  }

  /**
   * The environment {@code ${env:NAME}} reads.
   *
   * @return the environment; empty when strings are taken as written
   */
  public Optional<UnaryOperator<String>> env() {
    return Optional.ofNullable(env);
  }

  /**
   * A string (a number or flag is taken as its text), with {@code ${env:NAME}} resolved.
   *
   * @param where the key, for messages
   * @param v the value
   * @return the text
   * @throws ConfigurationException if not a scalar, or a variable is unset
   */
  public String text(String where, JsonNode v) {
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      throw error(where, "must be a string");
    }
    return resolve(where, v.asText());
  }

  /**
   * Resolves {@code ${env:NAME}} references.
   *
   * @param where the key, for messages
   * @param raw the text as written
   * @return the text with each reference replaced
   * @throws ConfigurationException if a variable is unset
   */
  public String resolve(String where, String raw) {
    if (env == null) {
      return raw;
    }
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

  /**
   * A finite number, or a string holding one.
   *
   * @param where the key, for messages
   * @param v the value
   * @return the number
   * @throws ConfigurationException if not a finite number
   */
  public double number(String where, JsonNode v) {
    if (v.isNumber()) {
      return finite(where, v.asDouble(), v.asText());
    }
    if (v.isTextual()) {
      return parseNumber(where, text(where, v));
    }
    throw error(where, "must be a number");
  }

  /**
   * Parses a finite number.
   *
   * @param where the key, for messages
   * @param s the text
   * @return the number
   * @throws ConfigurationException if not a finite number
   */
  public double parseNumber(String where, String s) {
    try {
      return finite(where, Double.parseDouble(s.trim()), s);
    } catch (NumberFormatException e) {
      throw error(where, "= '" + s + "' is not a number");
    }
  }

  private double finite(String where, double d, String s) {
    if (!Double.isFinite(d)) {
      throw error(where, "= '" + s + "' is not a finite number");
    }
    return d;
  }

  /**
   * A whole number in a range.
   *
   * @param where the key, for messages
   * @param v the value
   * @param min the least allowed
   * @param max the most allowed
   * @return the number
   * @throws ConfigurationException if not a whole number in [min, max]
   */
  public int integer(String where, JsonNode v, int min, int max) {
    double d = number(where, v);
    if (d != Math.rint(d) || d < min || d > max) {
      throw error(where, "= " + v + " must be a whole number in [" + min + ", " + max + "]");
    }
    return (int) d;
  }

  /**
   * A flag: {@code true}/{@code false}, or a string {@code true, 1, yes, false, 0, no}.
   *
   * @param where the key, for messages
   * @param v the value
   * @return the flag
   * @throws ConfigurationException if not a flag
   */
  public boolean flag(String where, JsonNode v) {
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual()) {
      return parseFlag(where, text(where, v));
    }
    throw error(where, "must be true or false");
  }

  /**
   * Parses a flag: {@code true, 1, yes, false, 0, no}, in any case.
   *
   * @param where the key, for messages
   * @param s the text
   * @return the flag
   * @throws ConfigurationException if not a flag
   */
  public boolean parseFlag(String where, String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw error(where, "= '" + s + "' must be true or false");
    };
  }

  /**
   * A duration: milliseconds (a number or digits) or ISO-8601 ({@code "PT30S"}); the sign is
   * the caller's to check (a retry backoff may be zero).
   *
   * @param where the key, for messages
   * @param v the value
   * @return the duration
   * @throws ConfigurationException if not a duration
   */
  public Duration duration(String where, JsonNode v) {
    if (v.isIntegralNumber()) {
      return Duration.ofMillis(v.asLong());
    }
    if (v.isTextual()) {
      return parseDuration(where, text(where, v));
    }
    throw error(where, "must be a duration: " + DURATION_FORMS);
  }

  /**
   * A duration above zero.
   *
   * @param where the key, for messages
   * @param v the value
   * @return the duration
   * @throws ConfigurationException if not a duration, or zero or negative
   */
  public Duration positiveDuration(String where, JsonNode v) {
    return positive(where, duration(where, v));
  }

  /**
   * Parses a duration: milliseconds (digits) or ISO-8601.
   *
   * @param where the key, for messages
   * @param raw the text
   * @return the duration
   * @throws ConfigurationException if not a duration
   */
  public Duration parseDuration(String where, String raw) {
    String s = raw.trim();
    try {
      return s.matches("\\d+") ? Duration.ofMillis(Long.parseLong(s)) : Duration.parse(s);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw error(where, "= '" + s + "' is not a duration; use " + DURATION_FORMS);
    }
  }

  /**
   * Checks that a duration is above zero.
   *
   * @param where the key, for messages
   * @param d the duration
   * @return {@code d}
   * @throws ConfigurationException if zero or negative
   */
  public Duration positive(String where, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw error(where, "= " + d + " must be positive");
    }
    return d;
  }

  /**
   * A path, resolved against the base directory.
   *
   * @param where the key, for messages
   * @param v the value
   * @return the path
   * @throws ConfigurationException if not a string
   */
  public Path path(String where, JsonNode v) {
    return resolvePath(text(where, v));
  }

  /**
   * Resolves a path against the base directory unless it is absolute.
   *
   * @param p the path as written
   * @return the path
   */
  public Path resolvePath(String p) {
    Path path = Path.of(p);
    return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
  }

  /**
   * Refuses keys other than the allowed ones.
   *
   * @param node the object
   * @param where its key ({@code ""} for the top level)
   * @param allowed the keys allowed there
   * @throws ConfigurationException if not an object, or a key is not allowed
   */
  public void onlyKeys(JsonNode node, String where, Set<String> allowed) {
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

  /**
   * An error about a key.
   *
   * @param where the key ({@code ""} for the file as a whole)
   * @param what what is wrong, e.g. {@code "must be a number"}
   * @return the exception, to throw
   */
  public ConfigurationException error(String where, String what) {
    return new ConfigurationException(source + (where.isEmpty() ? "" : ": \"" + where + "\"")
        + " " + what);
  }
}
