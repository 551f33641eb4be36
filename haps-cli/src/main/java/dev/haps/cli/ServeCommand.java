package dev.haps.cli;

import dev.haps.serve.HapsServer;
import dev.haps.serve.ServeConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code haps serve}: the OpenAI-compatible routing server (issue 23, docs/serve.md). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Serve an OpenAI-compatible endpoint that routes each request.",
    description = {
      "Start an OpenAI-compatible HTTP server in front of the routing client. POST"
          + " /v1/chat/completions with \"model\": \"haps\" (default cost weight),"
          + " \"haps:<w>\" (cost weight w in [0, 1]) or a configured alias routes the request to"
          + " a candidate and its parameters; a candidate's own id passes the request through."
          + " Streaming and non-streaming; tools and response formats go to OpenAI-compatible"
          + " backends. The decision is in the x-haps-model, x-haps-parameters and"
          + " x-haps-cost-weight headers and the response's \"haps\" field.",
      "Endpoints: POST /v1/chat/completions, GET /v1/models, POST /v1/feedback {call_id,"
          + " score}, GET /health, GET /ready, GET /metrics (Prometheus), POST /admin/reload"
          + " (admin key). SIGTERM or Ctrl-C drains requests in flight, then stops; SIGHUP"
          + " reloads the bundle from disk.",
      ""},
    footerHeading = "%nConfiguration file (JSON): the routing client's file (see 'haps ask"
        + " --help' and docs/routing-client.md) plus a \"server\" block; $${env:NAME} reads the"
        + " environment variable NAME:%n",
    footer = {
      "  {\"providers\": {\"local\": {\"type\": \"openai\", \"baseUrl\": \"$${env:OPENAI_BASE_URL}\",",
      "                           \"apiKey\": \"$${env:OPENAI_API_KEY}\"}},",
      "   \"candidates\": {\"*\": {\"provider\": \"local\"}},",
      "   \"bundle\": \"bundles/my-router.zip\",",
      "   \"feedback\": {\"path\": \"feedback/outcomes.jsonl\"},",
      "   \"server\": {",
      "     \"host\": \"127.0.0.1\", \"port\": 8080, \"threads\": 200,",
      "     \"requireApiKey\": true,",
      "     \"apiKeys\": [{\"name\": \"team-a\", \"sha256\": \"<64 hex digits>\",",
      "                  \"rateLimit\": {\"requestsPerSecond\": 20, \"burst\": 40}}],",
      "     \"adminKeys\": [{\"name\": \"ops\", \"sha256\": \"<64 hex digits>\"}],",
      "     \"rateLimit\": {\"requestsPerSecond\": 50, \"burst\": 100},",
      "     \"limits\": {\"maxBodyBytes\": 1048576, \"maxHeaderBytes\": 16384,",
      "                \"headerTimeout\": \"PT10S\", \"bodyTimeout\": \"PT30S\",",
      "                \"idleTimeout\": \"PT60S\", \"maxConnections\": 0},",
      "     \"tls\": {\"keyStore\": \"server.p12\", \"keyStorePassword\": \"$${env:P12_PASSWORD}\"},",
      "     \"drainTimeout\": \"PT30S\",",
      "     \"defaultCostWeight\": 0.5, \"aliases\": {\"haps-cheap\": 0.8, \"haps-best\": 0.0},",
      "     \"batching\": {\"enabled\": true, \"maxBatch\": 16, \"maxWait\": \"PT0.001S\"},",
      "     \"accessLog\": true, \"publicMetrics\": true}}",
      "",
      "Values shown are the defaults (maxConnections 0 = no limit, rateLimit 0 = none)."
          + " Keys are stored as SHA-256 hashes only: 'haps serve --hash-key' reads a key on"
          + " stdin and prints its hash.",
      "",
      "Environment overrides (after the file, before the options below): HAPS_SERVE_HOST,"
          + " HAPS_SERVE_PORT, HAPS_SERVE_BUNDLE, HAPS_SERVE_API_KEYS (keys, comma-separated),"
          + " HAPS_SERVE_API_KEY_SHA256 (hashes), HAPS_SERVE_ADMIN_KEYS,"
          + " HAPS_SERVE_REQUIRE_API_KEY, HAPS_SERVE_RATE_LIMIT (requests per second per key),"
          + " HAPS_SERVE_DEFAULT_COST_WEIGHT, HAPS_SERVE_TLS_KEYSTORE, HAPS_SERVE_TLS_PASSWORD.",
      "",
      "The access log is one JSON line per request on stderr (logger dev.haps.serve.access),"
          + " naming the key by its name, never its value. Upstream keys are never logged or"
          + " returned.",
      "",
      "Examples:",
      "  HAPS_SERVE_API_KEYS=sk-local-1 haps serve --config serve.json",
      "  curl -s http://127.0.0.1:8080/v1/chat/completions -H 'Authorization: Bearer sk-local-1'"
          + " -H 'Content-Type: application/json'"
          + " -d '{\"model\": \"haps\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}'"})
final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      converter = Converters.ExistingFile.class,
      description = "The configuration file (JSON, see below). Required unless --hash-key.")
  Path config;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "The address to bind, overriding the file and HAPS_SERVE_HOST; 0.0.0.0"
          + " listens on every interface. Default: 127.0.0.1 (loopback only).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The port, overriding the file and HAPS_SERVE_PORT (0: any free port)."
          + " Default: 8080.")
  Integer port;

  @Option(
      names = "--bundle",
      paramLabel = "PATH",
      converter = Converters.ExistingFile.class,
      description = "The router bundle (folder or zip), overriding the file's \"bundle\" and"
          + " HAPS_SERVE_BUNDLE. Default: the SDK's built-in bundle.")
  Path bundle;

  @Option(
      names = "--hash-key",
      description = "Read an API key from stdin, print its SHA-256 (for \"apiKeys\") and"
          + " exit.")
  boolean hashKey;

  /** Created by picocli. */
  ServeCommand() {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (hashKey) {
      String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
          .readLine();
      if (key == null || key.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--hash-key reads the key from stdin,"
            + " but stdin was empty; try: printf %s \"$KEY\" | haps serve --hash-key");
      }
      out.println(hash(key.strip()));
      out.flush();
      return 0;
    }
    if (config == null) {
      throw new ParameterException(spec.commandLine(), "--config FILE is required: the"
          + " providers, the candidate mapping and the server settings (see --help)");
    }
    if (port != null && (port < 0 || port > 65535)) {
      throw new ParameterException(spec.commandLine(), "--port must be in [0, 65535], got "
          + port);
    }
    // The access log is INFO; the CLI's default level is WARN.
    if (System.getProperty("org.slf4j.simpleLogger.log.dev.haps.serve") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.dev.haps.serve", "info");
    }
    ServeConfig c = ServeConfig.read(config);
    if (host != null) {
      c = c.withHost(host);
    }
    if (port != null) {
      c = c.withPort(port);
    }
    if (bundle != null) {
      c = c.withBundle(bundle);
    }
    HapsServer server = HapsServer.start(c);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "haps-serve-shutdown"));
    Signals.onHangUp(() -> {
      try {
        server.reload();
      } catch (RuntimeException e) {
        spec.commandLine().getErr().println("haps serve: reload failed, the old bundle keeps"
            + " serving: " + Failures.oneLine(e.getMessage()));
        spec.commandLine().getErr().flush();
      }
    });
    out.println("haps serve: listening on " + server.url() + " (bundle "
        + server.router().bundle() + "); Ctrl-C or SIGTERM stops it");
    out.flush();
    server.awaitStop();
    return 0;
  }

  static String hash(String key) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * SIGHUP, where the platform has it. Reached by reflection: {@code sun.misc.Signal} (module
   * jdk.unsupported) has no public replacement, and naming it would be a compiler warning.
   */
  static final class Signals {
    private Signals() {}

    static void onHangUp(Runnable action) {
      try {
        Class<?> signal = Class.forName("sun.misc.Signal");
        Class<?> handler = Class.forName("sun.misc.SignalHandler");
        Object h = java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(),
            new Class<?>[] {handler}, (proxy, method, args) -> {
              if (method.getName().equals("handle")) {
                action.run();
              }
              return null;
            });
        signal.getMethod("handle", signal, handler)
            .invoke(null, signal.getConstructor(String.class).newInstance("HUP"), h);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // No SIGHUP here (Windows, or a JVM without jdk.unsupported): POST /admin/reload.
      }
    }
  }
}
