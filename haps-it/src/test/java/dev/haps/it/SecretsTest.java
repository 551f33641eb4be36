package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;
import dev.haps.runtime.RouterBundle;

import dev.haps.api.error.HapsException;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.ReliabilityFixtures;
import dev.haps.client.RoutingClient;
import dev.haps.testing.Fault;
import dev.haps.spi.ProviderConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets (issue 8, item 6): the fault-injection run with a recognisable fake API key, whose
 * backends also echo the key back (a 401 quoting it, a 400 quoting it as plain text, a 200 whose
 * body or event is the key itself). Everything a user could see is captured and searched for
 * the key and for its random part: every log line at every level (the test logger writes all
 * levels to a file), standard output and error, every exception's full stack trace (causes and
 * suppressed included), the toString() of configs, providers, the client, results and attempts,
 * and the report files. The key must appear nowhere, while the servers must have received it.
 */
class SecretsTest {

  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void faultRun_withRecognisableKey_keyAppearsInNoLogMessageToStringOrReport() throws Exception {
    String secretPart = randomAlnum(28);
    // Underscores keep the whole key one token to a JSON parser: the worst case for echoes.
    String key = "sk_haps_FAKE_" + secretPart;

    TestLog logMark = TestLog.mark();
    assertThat(LoggerFactory.getLogger(RoutingClient.class).isTraceEnabled())
        .as("the test logger must record every level").isTrue();

    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StringBuilder surfaces = new StringBuilder();
    FaultScenario.Result r;
    try {
      System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
      // Some calls meet only echoing backends, so that their errors' causes carry the echo;
      // they run one by one after the concurrent phase (numbered above it), so that an open
      // breaker cannot keep them from the servers.
      Map<Integer, Fault> forced = Map.of(
          10_000, Fault.PLAIN_KEY_BODY, 10_001, Fault.PLAIN_KEY_BODY,
          10_002, Fault.AUTH_ECHOING_KEY, 10_003, Fault.AUTH_ECHOING_KEY,
          10_004, Fault.BAD_REQUEST_ECHOING_KEY,
          10_005, Fault.BAD_REQUEST_ECHOING_KEY);
      r = new FaultScenario(31L, 4, 50, key, forced).run();
      surfaces.append(r.surfaces);
      surfaces.append(configSurfaces(key));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    Path reportFile = new Report("secrets")
        .put("calls", r.calls)
        .put("succeeded", r.succeeded)
        .put("failed", r.failed)
        .put("attemptOutcomes", r.outcomes)
        .put("faultsServerA", r.faultsA)
        .put("faultsServerB", r.faultsB)
        .write();

    String log = logMark.since();
    StringBuilder reports = new StringBuilder();
    try (Stream<Path> s = Files.list(Report.DIR)) {
      for (Path p : s.toList()) {
        reports.append(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    String stdio = captured.toString(StandardCharsets.UTF_8);

    // The run really used the key and really met the echoing backends.
    assertThat(r.violations).isEmpty();
    assertThat(r.faultsA.get("AUTH_ECHOING_KEY") + r.faultsB.get("AUTH_ECHOING_KEY"))
        .isPositive();
    assertThat(r.faultsA.get("PLAIN_KEY_BODY") + r.faultsB.get("PLAIN_KEY_BODY")).isPositive();
    assertThat(log).as("the log of the run").contains("call ").hasSizeGreaterThan(10_000);
    assertThat(surfaces).contains("RoutingCallException");
    assertThat(reportFile).exists();

    List<String> leaks = new ArrayList<>();
    leak(leaks, "log (all levels)", log, key, secretPart);
    leak(leaks, "stdout/stderr", stdio, key, secretPart);
    leak(leaks, "exceptions and toString()", surfaces.toString(), key, secretPart);
    leak(leaks, "report files", reports.toString(), key, secretPart);
    assertThat(leaks).as("places where the API key appeared").isEmpty();
  }

  /** Configuration paths: a config file naming the key by variable, and its errors. */
  private String configSurfaces(String key) throws IOException {
    StringBuilder sb = new StringBuilder();
    ProviderConfig pc = ProviderConfig.of("p", Map.of("baseUrl", "http://127.0.0.1:9/v1",
        "apiKey", key, "authToken", key, "password", key));
    sb.append(pc).append('\n');
    Path config = tmp.resolve("haps.json");
    Files.writeString(config, "{\"providers\": {\"local\": {\"type\": \"openai\", \"baseUrl\":"
        + " \"http://127.0.0.1:9/v1\", \"apiKey\": \"${env:HAPS_TEST_KEY}\", \"requestTimeout\":"
        + " \"soon\"}}, \"candidates\": {\"*\": {\"provider\": \"local\"}}}");
    try (HapsRouter router = HapsRouter.builder()
        .bundle(ReliabilityFixtures.spec().bundle(RouterBundle::fromBytes))
        .encoder(ReliabilityFixtures.hashingEncoder()).build()) {
      try (RoutingClient c = RoutingClient.fromConfig(config, router,
          v -> v.equals("HAPS_TEST_KEY") ? key : null)) {
        sb.append(c).append('\n');
      } catch (HapsException e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        sb.append(sw).append('\n');
      }
      Files.writeString(config, "{\"providers\": {\"local\": {\"type\": \"openai\", \"baseUrl\":"
          + " \"http://127.0.0.1:9/v1\", \"apiKey\": \"${env:HAPS_TEST_KEY}\"}},"
          + " \"candidates\": {\"*\": {\"provider\": \"local\"}}}");
      try (RoutingClient c = RoutingClient.fromConfig(config, router,
          v -> v.equals("HAPS_TEST_KEY") ? key : null)) {
        sb.append(c).append('\n');
        try {
          c.call("a question for a server that is not there");
        } catch (HapsException e) {
          StringWriter sw = new StringWriter();
          e.printStackTrace(new PrintWriter(sw));
          sb.append(sw).append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static void leak(List<String> leaks, String where, String text, String key,
      String secretPart) {
    int at = text.indexOf(secretPart);
    if (at >= 0) {
      int from = Math.max(0, at - 300);
      leaks.add(where + (text.contains(key) ? " (whole key)" : " (its random part)") + ": ..."
          + text.substring(from, Math.min(text.length(), at + 100)) + "...");
    }
  }

  private static String randomAlnum(int n) {
    String abc = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom r = new SecureRandom();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(abc.charAt(r.nextInt(abc.length())));
    }
    return sb.toString();
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      synchronized (b) {
        b.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      a.flush();
    }
  }
}
