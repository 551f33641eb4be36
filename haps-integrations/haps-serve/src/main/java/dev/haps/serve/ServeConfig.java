package dev.haps.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.error.ConfigurationException;
import dev.haps.client.ClientConfigLoader;
import dev.haps.data.internal.JsonConfigReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The configuration of {@code haps serve}: one JSON file whose top level is the routing client's
 * file ({@code providers}, {@code candidates}, {@code bundle}, {@code deadline},
 * {@code maxCandidates}, {@code retry}, {@code circuitBreaker}, {@code feedback},
 * {@code systemPrompts}; see {@code docs/routing-client.md}) plus an optional {@code "server"}
 * block, then environment overrides ({@code HAPS_SERVE_*}). {@code docs/serve.md} lists every
 * key and variable; {@code haps serve --help} prints them.
 *
 * <pre>{@code
 * ServeConfig config = ServeConfig.read(Path.of("serve.json"));
 * try (HapsServer server = HapsServer.start(config)) {
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Immutable; {@link #toString()} shows no key, hash or password.
 *
 * @since 0.1.0
 */
public final class ServeConfig {

  /** The address bound when none is configured: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The port used when none is configured. */
  public static final int DEFAULT_PORT = 8080;

  private static final Set<String> SERVER_KEYS = Set.of("host", "port", "threads",
      "requireApiKey", "apiKeys", "adminKeys", "rateLimit", "limits", "tls", "drainTimeout",
      "defaultCostWeight", "aliases", "batching", "accessLog", "publicMetrics");
  private static final Set<String> LIMIT_KEYS = Set.of("maxBodyBytes", "maxHeaderBytes",
      "headerTimeout", "bodyTimeout", "idleTimeout", "maxConnections");

  final JsonConfigReader reader;
  final ObjectNode client;
  final String host;
  final int port;
  final int threads;
  final boolean requireApiKey;
  final List<KeyEntry> apiKeys;
  final List<KeyEntry> adminKeys;
  final RateLimit rateLimit;
  final Limits limits;
  final Tls tls; // null: plain HTTP
  final Duration drainTimeout;
  final double defaultCostWeight;
  final Map<String, Double> aliases;
  final Batching batching;
  final boolean accessLog;
  final boolean publicMetrics;
  final Path bundle; // null: the SDK's default bundle

  private ServeConfig(Builder b) {
    this.reader = b.reader;
    this.client = b.client;
    this.host = b.host;
    this.port = b.port;
    this.threads = b.threads;
    this.requireApiKey = b.requireApiKey;
    this.apiKeys = List.copyOf(b.apiKeys);
    this.adminKeys = List.copyOf(b.adminKeys);
    this.rateLimit = b.rateLimit;
    this.limits = b.limits;
    this.tls = b.tls;
    this.drainTimeout = b.drainTimeout;
    this.defaultCostWeight = b.defaultCostWeight;
    this.aliases = Map.copyOf(b.aliases);
    this.batching = b.batching;
    this.accessLog = b.accessLog;
    this.publicMetrics = b.publicMetrics;
    this.bundle = b.bundle;
  }

  /**
   * Reads a configuration file, with {@code ${env:NAME}} and {@code HAPS_SERVE_*} overrides
   * taken from the process environment.
   *
   * @param file the JSON file
   * @return the configuration
   * @throws ConfigurationException naming the file, the key and what was expected
   */
  public static ServeConfig read(Path file) {
    return read(file, System::getenv);
  }

  /**
   * Reads a configuration file against a given environment (for tests and embedding).
   *
   * @param file the JSON file
   * @param environment variable name to value, {@code null} when unset
   * @return the configuration
   * @throws ConfigurationException naming the file, the key and what was expected
   */
  public static ServeConfig read(Path file, UnaryOperator<String> environment) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigurationException("config " + file + " cannot be read (" + e
          + "); check the path given to --config", e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(file.toString(), new String(bytes, StandardCharsets.UTF_8), dir, environment);
  }

  /**
   * Parses a configuration from JSON text; relative paths resolve against {@code baseDir}.
   *
   * @param json the configuration
   * @param baseDir the folder relative paths are resolved against
   * @param environment variable name to value, {@code null} when unset
   * @return the configuration
   * @throws ConfigurationException naming the key and what was expected
   */
  public static ServeConfig parse(String json, Path baseDir, UnaryOperator<String> environment) {
    return parse("(inline JSON)", json, baseDir, environment);
  }

  private static ServeConfig parse(String name, String json, Path dir,
      UnaryOperator<String> environment) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(environment, "environment");
    JsonConfigReader r = new JsonConfigReader("config", name, dir, environment);
    JsonNode root = JsonConfigReader.parse(r.source(), json.getBytes(StandardCharsets.UTF_8));
    if (root == null || !root.isObject()) {
      throw r.error("", "must be a JSON object with \"providers\" and \"candidates\"");
    }
    Set<String> top = new java.util.HashSet<>(ClientConfigLoader.keys());
    top.add("server");
    r.onlyKeys(root, "", top);
    Builder b = new Builder(r);
    ObjectNode client = ((ObjectNode) root).deepCopy();
    client.remove("server");
    b.client = client;
    if (root.has("bundle") && !root.path("bundle").isNull()) {
      b.bundle = r.path("bundle", root.path("bundle"));
    }
    JsonNode s = root.path("server");
    if (!s.isMissingNode()) {
      r.onlyKeys(s, "server", SERVER_KEYS);
      b.server(s);
    }
    b.environment();
    return b.build();
  }

  /**
   * A copy listening on another address.
   *
   * @param host an address or host name; {@code 0.0.0.0} listens on every interface
   * @return the copy
   */
  public ServeConfig withHost(String host) {
    Objects.requireNonNull(host, "host");
    Builder b = toBuilder();
    b.host = host;
    return b.build();
  }

  /**
   * A copy listening on another port.
   *
   * @param port 0 (any free port) to 65535
   * @return the copy
   * @throws IllegalArgumentException if out of range
   */
  public ServeConfig withPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    Builder b = toBuilder();
    b.port = port;
    return b.build();
  }

  /**
   * A copy routing with another bundle.
   *
   * @param bundle a bundle folder or zip
   * @return the copy
   */
  public ServeConfig withBundle(Path bundle) {
    Objects.requireNonNull(bundle, "bundle");
    Builder b = toBuilder();
    b.bundle = bundle;
    return b.build();
  }

  /**
   * The address the server binds.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * The configured port (0: any free port).
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The bundle the server routes with.
   *
   * @return the bundle's path, empty for the SDK's default bundle
   */
  public Optional<Path> bundle() {
    return Optional.ofNullable(bundle);
  }

  @Override
  public String toString() {
    return "ServeConfig{" + (tls == null ? "http" : "https") + "://" + host + ":" + port
        + ", apiKeys=" + (requireApiKey ? apiKeys.size() + " keys" : "not required")
        + ", rateLimit=" + rateLimit + ", " + limits + ", threads=" + threads
        + ", bundle=" + (bundle == null ? "default" : bundle) + ", aliases=" + aliases.keySet()
        + ", " + batching + "}";
  }

  private Builder toBuilder() {
    Builder b = new Builder(reader);
    b.client = client;
    b.host = host;
    b.port = port;
    b.threads = threads;
    b.requireApiKey = requireApiKey;
    b.apiKeys.addAll(apiKeys);
    b.adminKeys.addAll(adminKeys);
    b.rateLimit = rateLimit;
    b.limits = limits;
    b.tls = tls;
    b.drainTimeout = drainTimeout;
    b.defaultCostWeight = defaultCostWeight;
    b.aliases.putAll(aliases);
    b.batching = batching;
    b.accessLog = accessLog;
    b.publicMetrics = publicMetrics;
    b.bundle = bundle;
    return b;
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256, which every Java SE JVM has", e);
    }
  }

  /** One accepted key: a name for logs and metrics, its SHA-256, its own rate limit. */
  record KeyEntry(String name, byte[] sha256, RateLimit rateLimit) {}

  /** A token bucket: {@code perSecond} refill, {@code burst} capacity; 0 per second = none. */
  record RateLimit(double perSecond, int burst) {
    boolean unlimited() {
      return perSecond == 0;
    }

    @Override
    public String toString() {
      return unlimited() ? "none" : perSecond + "/s burst " + burst;
    }
  }

  /** Request size and time limits. */
  record Limits(int maxBodyBytes, int maxHeaderBytes, Duration headerTimeout,
      Duration bodyTimeout, Duration idleTimeout, int maxConnections) {}

  /** TLS from a PKCS#12 key store. */
  record Tls(Path keyStore, String password) {
    @Override
    public String toString() {
      return "Tls{" + keyStore + "}";
    }
  }

  /** Micro-batching of concurrent routing calls. */
  record Batching(boolean enabled, int maxBatch, Duration maxWait) {}

  private static final class Builder {
    final JsonConfigReader reader;
    ObjectNode client;
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    int threads = 200;
    boolean requireApiKey = true;
    final List<KeyEntry> apiKeys = new ArrayList<>();
    final List<KeyEntry> adminKeys = new ArrayList<>();
    RateLimit rateLimit = new RateLimit(50, 100);
    Limits limits = new Limits(1 << 20, 16 * 1024, Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60), 0);
    Tls tls;
    Duration drainTimeout = Duration.ofSeconds(30);
    double defaultCostWeight = 0.5;
    final Map<String, Double> aliases = new LinkedHashMap<>();
    Batching batching = new Batching(true, 16, Duration.ofMillis(1));
    boolean accessLog = true;
    boolean publicMetrics = true;
    Path bundle;

    Builder(JsonConfigReader reader) {
      this.reader = reader;
    }

    void server(JsonNode s) {
      JsonConfigReader r = reader;
      if (s.has("host")) {
        host = r.text("server.host", s.path("host"));
      }
      if (s.has("port")) {
        port = r.integer("server.port", s.path("port"), 0, 65535);
      }
      if (s.has("threads")) {
        threads = r.integer("server.threads", s.path("threads"), 8, 10_000);
      }
      if (s.has("requireApiKey")) {
        requireApiKey = r.flag("server.requireApiKey", s.path("requireApiKey"));
      }
      if (s.has("rateLimit")) {
        rateLimit = rateLimit("server.rateLimit", s.path("rateLimit"));
      }
      keys("server.apiKeys", s.path("apiKeys"), apiKeys);
      keys("server.adminKeys", s.path("adminKeys"), adminKeys);
      JsonNode l = s.path("limits");
      if (!l.isMissingNode()) {
        r.onlyKeys(l, "server.limits", LIMIT_KEYS);
        Limits d = limits;
        limits = new Limits(
            l.has("maxBodyBytes") ? r.integer("server.limits.maxBodyBytes",
                l.path("maxBodyBytes"), 1024, 256 << 20) : d.maxBodyBytes(),
            l.has("maxHeaderBytes") ? r.integer("server.limits.maxHeaderBytes",
                l.path("maxHeaderBytes"), 1024, 1 << 20) : d.maxHeaderBytes(),
            l.has("headerTimeout") ? r.positiveDuration("server.limits.headerTimeout",
                l.path("headerTimeout")) : d.headerTimeout(),
            l.has("bodyTimeout") ? r.positiveDuration("server.limits.bodyTimeout",
                l.path("bodyTimeout")) : d.bodyTimeout(),
            l.has("idleTimeout") ? r.positiveDuration("server.limits.idleTimeout",
                l.path("idleTimeout")) : d.idleTimeout(),
            l.has("maxConnections") ? r.integer("server.limits.maxConnections",
                l.path("maxConnections"), 0, 1_000_000) : d.maxConnections());
      }
      JsonNode t = s.path("tls");
      if (!t.isMissingNode()) {
        r.onlyKeys(t, "server.tls", Set.of("keyStore", "keyStorePassword"));
        if (!t.has("keyStore")) {
          throw r.error("server.tls.keyStore", "is required: the PKCS#12 file (.p12) holding"
              + " the server's key and certificate chain");
        }
        tls = new Tls(r.path("server.tls.keyStore", t.path("keyStore")),
            t.has("keyStorePassword") ? r.text("server.tls.keyStorePassword",
                t.path("keyStorePassword")) : "");
      }
      if (s.has("drainTimeout")) {
        drainTimeout = r.positiveDuration("server.drainTimeout", s.path("drainTimeout"));
      }
      if (s.has("defaultCostWeight")) {
        defaultCostWeight = costWeight("server.defaultCostWeight",
            r.number("server.defaultCostWeight", s.path("defaultCostWeight")));
      }
      JsonNode a = s.path("aliases");
      if (!a.isMissingNode()) {
        if (!a.isObject()) {
          throw r.error("server.aliases", "must map a model name to a cost weight in [0, 1],"
              + " e.g. {\"haps-cheap\": 0.8}");
        }
        for (Map.Entry<String, JsonNode> e : a.properties()) {
          String where = "server.aliases." + e.getKey();
          if (e.getKey().isBlank() || e.getKey().equals(ChatRouting.HAPS_MODEL)
              || e.getKey().startsWith(ChatRouting.HAPS_MODEL + ":")) {
            throw r.error(where, "is not a usable alias: \"haps\" and \"haps:<w>\" are built in");
          }
          aliases.put(e.getKey(), costWeight(where, r.number(where, e.getValue())));
        }
      }
      JsonNode bt = s.path("batching");
      if (!bt.isMissingNode()) {
        r.onlyKeys(bt, "server.batching", Set.of("enabled", "maxBatch", "maxWait"));
        batching = new Batching(
            bt.has("enabled") ? r.flag("server.batching.enabled", bt.path("enabled"))
                : batching.enabled(),
            bt.has("maxBatch") ? r.integer("server.batching.maxBatch", bt.path("maxBatch"), 1,
                1024) : batching.maxBatch(),
            bt.has("maxWait")
                ? r.positiveDuration("server.batching.maxWait", bt.path("maxWait"))
                : batching.maxWait());
      }
      if (s.has("accessLog")) {
        accessLog = r.flag("server.accessLog", s.path("accessLog"));
      }
      if (s.has("publicMetrics")) {
        publicMetrics = r.flag("server.publicMetrics", s.path("publicMetrics"));
      }
    }

    private RateLimit rateLimit(String where, JsonNode n) {
      reader.onlyKeys(n, where, Set.of("requestsPerSecond", "burst"));
      double perSecond = n.has("requestsPerSecond")
          ? reader.number(where + ".requestsPerSecond", n.path("requestsPerSecond")) : 50;
      if (perSecond < 0) {
        throw reader.error(where + ".requestsPerSecond", "= " + perSecond
            + " must be 0 (no limit) or positive");
      }
      int burst = n.has("burst") ? reader.integer(where + ".burst", n.path("burst"), 1,
          1_000_000) : (int) Math.max(1, Math.ceil(perSecond * 2));
      return new RateLimit(perSecond, burst);
    }

    private void keys(String where, JsonNode list, List<KeyEntry> into) {
      if (list.isMissingNode()) {
        return;
      }
      if (!list.isArray()) {
        throw reader.error(where, "must be an array of {\"name\": ..., \"sha256\": ...}");
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode k = list.get(i);
        String at = where + "[" + i + "]";
        reader.onlyKeys(k, at, Set.of("name", "sha256", "rateLimit"));
        if (!k.has("sha256")) {
          throw reader.error(at + ".sha256", "is required: the hex SHA-256 of the key"
              + " (printf %s \"$KEY\" | sha256sum); keys themselves never go in the file");
        }
        byte[] hash = hex(at + ".sha256", reader.text(at + ".sha256", k.path("sha256")));
        String name = k.has("name") ? reader.text(at + ".name", k.path("name")) : "key-" + i;
        RateLimit limit = k.has("rateLimit") ? rateLimit(at + ".rateLimit", k.path("rateLimit"))
            : null;
        into.add(new KeyEntry(name, hash, limit));
      }
    }

    private byte[] hex(String where, String s) {
      String h = s.trim();
      if (!h.matches("[0-9a-fA-F]{64}")) {
        throw reader.error(where, "must be 64 hex digits (a SHA-256), got " + h.length()
            + " characters");
      }
      return HexFormat.of().parseHex(h.toLowerCase(java.util.Locale.ROOT));
    }

    private double costWeight(String where, double w) {
      if (!(w >= 0 && w <= 1)) {
        throw reader.error(where, "= " + w + " must be a cost weight in [0, 1]");
      }
      return w;
    }

    /** The HAPS_SERVE_* overrides, after the file. */
    void environment() {
      UnaryOperator<String> env = reader.env().orElseThrow();
      String v;
      if ((v = env.apply("HAPS_SERVE_HOST")) != null && !v.isBlank()) {
        host = v.trim();
      }
      if ((v = env.apply("HAPS_SERVE_PORT")) != null && !v.isBlank()) {
        double p = reader.parseNumber("HAPS_SERVE_PORT", v);
        if (p != Math.rint(p) || p < 0 || p > 65535) {
          throw reader.error("HAPS_SERVE_PORT", "= " + v + " must be a port in [0, 65535]");
        }
        port = (int) p;
      }
      if ((v = env.apply("HAPS_SERVE_BUNDLE")) != null && !v.isBlank()) {
        bundle = Path.of(v.trim());
      }
      if ((v = env.apply("HAPS_SERVE_REQUIRE_API_KEY")) != null && !v.isBlank()) {
        requireApiKey = reader.parseFlag("HAPS_SERVE_REQUIRE_API_KEY", v);
      }
      if ((v = env.apply("HAPS_SERVE_API_KEYS")) != null && !v.isBlank()) {
        int i = 0;
        for (String key : v.split(",")) {
          if (!key.isBlank()) {
            apiKeys.add(new KeyEntry("env-" + (++i), sha256(key.trim()), null));
          }
        }
      }
      if ((v = env.apply("HAPS_SERVE_API_KEY_SHA256")) != null && !v.isBlank()) {
        int i = 0;
        for (String h : v.split(",")) {
          if (!h.isBlank()) {
            apiKeys.add(new KeyEntry("env-sha-" + (++i), hex("HAPS_SERVE_API_KEY_SHA256", h),
                null));
          }
        }
      }
      if ((v = env.apply("HAPS_SERVE_ADMIN_KEYS")) != null && !v.isBlank()) {
        int i = 0;
        for (String key : v.split(",")) {
          if (!key.isBlank()) {
            adminKeys.add(new KeyEntry("admin-env-" + (++i), sha256(key.trim()), null));
          }
        }
      }
      if ((v = env.apply("HAPS_SERVE_RATE_LIMIT")) != null && !v.isBlank()) {
        double perSecond = reader.parseNumber("HAPS_SERVE_RATE_LIMIT", v);
        if (perSecond < 0) {
          throw reader.error("HAPS_SERVE_RATE_LIMIT", "= " + v + " must be 0 (none) or positive");
        }
        rateLimit = new RateLimit(perSecond, (int) Math.max(1, Math.ceil(perSecond * 2)));
      }
      if ((v = env.apply("HAPS_SERVE_DEFAULT_COST_WEIGHT")) != null && !v.isBlank()) {
        defaultCostWeight = costWeight("HAPS_SERVE_DEFAULT_COST_WEIGHT",
            reader.parseNumber("HAPS_SERVE_DEFAULT_COST_WEIGHT", v));
      }
      if ((v = env.apply("HAPS_SERVE_TLS_KEYSTORE")) != null && !v.isBlank()) {
        String pw = env.apply("HAPS_SERVE_TLS_PASSWORD");
        tls = new Tls(Path.of(v.trim()), pw != null ? pw : tls != null ? tls.password() : "");
      } else if ((v = env.apply("HAPS_SERVE_TLS_PASSWORD")) != null && tls != null) {
        tls = new Tls(tls.keyStore(), v);
      }
    }

    ServeConfig build() {
      if (requireApiKey && apiKeys.isEmpty()) {
        throw reader.error("server.apiKeys", "is empty, and API keys are required: add"
            + " {\"name\": \"team\", \"sha256\": \"<hex SHA-256 of the key>\"} entries, or set"
            + " HAPS_SERVE_API_KEYS=key1,key2 (or HAPS_SERVE_API_KEY_SHA256=hex,...) in the"
            + " environment; to serve without keys (loopback experiments only) set"
            + " \"requireApiKey\": false");
      }
      return new ServeConfig(this);
    }
  }
}
