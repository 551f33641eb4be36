package dev.haps.it;

import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteRequest;
import dev.haps.provider.openai.OpenAiProviderFactory;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.Fault;
import dev.haps.testing.FaultPlan;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.ReliabilityFixtures;
import dev.haps.client.Attempt;
import dev.haps.client.CallResult;
import dev.haps.client.CircuitBreakerPolicy;
import dev.haps.client.RetryPolicy;
import dev.haps.client.RoutingCallException;
import dev.haps.client.RoutingClient;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.haps.runtime.RouterBundle;

/**
 * The fault-injection run (issue 8, item 4), shared by the fault and the secrets tests: a real
 * router and a {@link RoutingClient} over two real OpenAI providers, each pointed at a {@link
 * LoopbackServer} injecting seeded {@link Fault}s, called from many threads (half plain calls, half streams). It checks every call:
 * a success names its attempts and used the candidate's own parameters; a failure is a {@link
 * RoutingCallException} naming every attempt; each attempt's outcome matches what the server did;
 * no candidate is retried more than the policy allows and the client's retries stay within the
 * budget; threads, descriptors and server connections return to their baseline.
 */
final class FaultScenario {

  static final int MAX_RETRIES = 2;
  static final int MAX_CANDIDATES = 3;
  static final int BUDGET_RESERVE = 40;
  static final double BUDGET_RATIO = 0.3;
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(400);
  static final Duration DEADLINE = Duration.ofMillis(2_500);
  /** A connect timeout no other test uses, so this run gets its own JDK client and pool. */
  static final String CONNECT_TIMEOUT_MS = "1777";

  /** How long the servers keep an idle connection: short, so leaks show in the run. */
  static final Duration IDLE = Duration.ofMillis(1_500);
  /** How long slow answers stall: longer than the request timeout. */
  static final Duration STALL = Duration.ofMillis(1_200);
  /** How long an opened breaker refuses calls. */
  static final Duration BREAKER_COOL_DOWN = Duration.ofMillis(150);
  private static final Pattern CALL = Pattern.compile("call-(\\d+)");

  /** Fault weights (per 111 requests). */
  static final Map<Fault, Integer> WEIGHTS = weights(
      Fault.OK, 45, Fault.RATE_LIMITED, 8, Fault.RATE_LIMITED_LONG, 2, Fault.SERVER_500, 6,
      Fault.SERVER_503, 6, Fault.SLOW_HEADERS, 3, Fault.SLOW_BODY, 3, Fault.TRUNCATED_STREAM, 5,
      Fault.TRUNCATED_BODY, 3, Fault.GARBAGE_JSON, 6, Fault.DROP, 4, Fault.RESET, 3,
      Fault.AUTH_ECHOING_KEY, 2, Fault.BAD_REQUEST_ECHOING_KEY, 2, Fault.PLAIN_KEY_BODY, 2);

  private static final Map<Fault, Set<Attempt.Outcome>> ALLOWED =
      new EnumMap<>(Fault.class);

  static {
    ALLOWED.put(Fault.OK, EnumSet.of(Attempt.Outcome.SUCCESS));
    ALLOWED.put(Fault.RATE_LIMITED, EnumSet.of(Attempt.Outcome.RATE_LIMITED));
    ALLOWED.put(Fault.RATE_LIMITED_LONG, EnumSet.of(Attempt.Outcome.RATE_LIMITED));
    ALLOWED.put(Fault.SERVER_500, EnumSet.of(Attempt.Outcome.SERVER_ERROR));
    ALLOWED.put(Fault.SERVER_503, EnumSet.of(Attempt.Outcome.SERVER_ERROR));
    ALLOWED.put(Fault.SLOW_HEADERS, EnumSet.of(Attempt.Outcome.TIMEOUT));
    ALLOWED.put(Fault.SLOW_BODY, EnumSet.of(Attempt.Outcome.TIMEOUT));
    ALLOWED.put(Fault.TRUNCATED_STREAM, EnumSet.of(
        Attempt.Outcome.MALFORMED_RESPONSE, Attempt.Outcome.CONNECTION));
    ALLOWED.put(Fault.TRUNCATED_BODY, EnumSet.of(
        Attempt.Outcome.MALFORMED_RESPONSE, Attempt.Outcome.CONNECTION));
    ALLOWED.put(Fault.GARBAGE_JSON, EnumSet.of(Attempt.Outcome.MALFORMED_RESPONSE));
    ALLOWED.put(Fault.DROP, EnumSet.of(Attempt.Outcome.CONNECTION));
    ALLOWED.put(Fault.RESET, EnumSet.of(Attempt.Outcome.CONNECTION));
    ALLOWED.put(Fault.AUTH_ECHOING_KEY, EnumSet.of(Attempt.Outcome.AUTHENTICATION));
    ALLOWED.put(Fault.BAD_REQUEST_ECHOING_KEY,
        EnumSet.of(Attempt.Outcome.BAD_REQUEST));
    ALLOWED.put(Fault.PLAIN_KEY_BODY, EnumSet.of(Attempt.Outcome.MALFORMED_RESPONSE));
  }

  /** What the run saw. */
  static final class Result {
    int calls;
    int succeeded;
    int succeededAfterRetry;
    int succeededByFallback;
    int failed;
    int attempts;
    int attemptsSentToServer;
    int callsWithUnmatchedAttempts;
    long retriesByClient;
    int retriesInAttempts;
    final Map<String, Integer> outcomes = new TreeMap<>();
    final Map<String, Integer> failureReasons = new TreeMap<>();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> faultsA;
    Map<String, Integer> faultsB;
    int serverRequests;
    int serverConnections;
    int threadsBaseline;
    int threadsAfter;
    int httpWorkersAfter;
    int fdsBaseline;
    int fdsAfter;
    int serverOpenAfterRun;
    double seconds;
    /** Everything the run produced that a user could see: messages, toString()s, traces. */
    final StringBuilder surfaces = new StringBuilder();
  }

  private final long seed;
  private final int threads;
  private final int callsPerThread;
  private final String apiKey;
  private final Map<Integer, Fault> forced;

  FaultScenario(long seed, int threads, int callsPerThread, String apiKey) {
    this(seed, threads, callsPerThread, apiKey, Map.of());
  }

  /**
   * With calls whose every request meets one fixed fault (the secrets test's echoes). Their
   * numbers must lie outside the concurrent phase's {@code 0 .. threads * callsPerThread - 1}:
   * they run one by one after it.
   */
  FaultScenario(long seed, int threads, int callsPerThread, String apiKey,
      Map<Integer, Fault> forced) {
    for (int call : forced.keySet()) {
      if (call >= 0 && call < threads * callsPerThread) {
        throw new IllegalArgumentException("forced call " + call + " lies inside the concurrent"
            + " phase (0.." + (threads * callsPerThread - 1) + "); number it above");
      }
    }
    this.forced = forced;
    this.seed = seed;
    this.threads = threads;
    this.callsPerThread = callsPerThread;
    this.apiKey = apiKey;
  }

  private static Map<Fault, Integer> weights(Object... faultThenWeight) {
    Map<Fault, Integer> m = new EnumMap<>(Fault.class);
    for (int i = 0; i < faultThenWeight.length; i += 2) {
      m.put((Fault) faultThenWeight[i], (Integer) faultThenWeight[i + 1]);
    }
    return m;
  }

  /** The call number a request carries in its query ({@code call-N}), or -1. */
  static int callOf(LoopbackServer.Recorded request) {
    Matcher m = CALL.matcher(request.body());
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /**
   * A fake OpenAI backend answering {@code ok call-N} (two deltas when streamed), with the run's
   * seeded faults and forced faults.
   */
  static LoopbackServer faultServer(long seed, String apiKey, Map<Integer, Fault> forced) {
    FaultPlan.Builder plan = FaultPlan.builder().seed(seed).stall(STALL).echoedKey(apiKey)
        .forcing(r -> Optional.ofNullable(forced.get(callOf(r))));
    WEIGHTS.forEach(plan::weight);
    return LoopbackServer.start().idleTimeout(IDLE)
        .chat(r -> ChatAnswer.of("ok call-" + callOf(r)).usage(7, 2))
        .faults(plan.build());
  }

  /** Recorded requests by call number, in arrival order. */
  private static Map<Integer, List<LoopbackServer.Recorded>> byCall(LoopbackServer server) {
    Map<Integer, List<LoopbackServer.Recorded>> out = new HashMap<>();
    for (LoopbackServer.Recorded r : server.requests()) {
      out.computeIfAbsent(callOf(r), k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /** Counts per fault, by name, for reports. */
  private static Map<String, Integer> faultCounts(LoopbackServer server) {
    Map<String, Integer> out = new LinkedHashMap<>();
    server.faultCounts().forEach((f, n) -> out.put(f.name(), n));
    return out;
  }

  static LlmProvider provider(String id, LoopbackServer server, String apiKey) {
    return new OpenAiProviderFactory().create(ProviderConfig.of(id, Map.of(
        "baseUrl", server.url("/v1"), "apiKey", apiKey,
        "requestTimeout", Long.toString(REQUEST_TIMEOUT.toMillis()),
        "connectTimeout", CONNECT_TIMEOUT_MS)));
  }

  Result run() throws Exception {
    Result res = new Result();
    try (LoopbackServer a = faultServer(seed, apiKey, forced);
        LoopbackServer b = faultServer(seed + 1, apiKey, forced);
        HapsRouter router = HapsRouter.builder()
            .bundle(ReliabilityFixtures.spec().seed(9).expectedCost(true).bundle(RouterBundle::fromBytes))
            .encoder(ReliabilityFixtures.hashingEncoder()).build()) {
      LlmProvider pa = provider("a", a, apiKey);
      LlmProvider pb = provider("b", b, apiKey);
      res.surfaces.append(pa).append('\n').append(pb).append('\n');
      try (RoutingClient client = RoutingClient.builder()
          .router(router)
          .provider("a", pa)
          .provider("b", pb)
          .candidate("gpt-4", "a", "gpt-4o")
          .candidate("*", "b")
          .retry(RetryPolicy.builder().maxRetries(MAX_RETRIES)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(5), 2.0).jitter(0.2)
              .maxRetryAfter(Duration.ofSeconds(1)).budget(BUDGET_RESERVE, BUDGET_RATIO)
              .build())
          .circuitBreaker(new CircuitBreakerPolicy(8, BREAKER_COOL_DOWN))
          .deadline(DEADLINE)
          .maxCandidates(MAX_CANDIDATES)
          .build()) {
        res.surfaces.append(client).append('\n');
        // Warm-up: the JDK client, its selector thread and the deadline watchdog start here.
        for (int i = 0; i < 10; i++) {
          callOnce(client, 1_000_000 + i, i % 2 == 0, res, null);
        }
        Thread.sleep(IDLE.toMillis() + 500);
        res.threadsBaseline = nonPoolThreads();
        res.fdsBaseline = ProcessProbe.openFileDescriptors();
        a.clearRequests();
        b.clearRequests();
        res.calls = 0;
        res.succeeded = res.failed = res.attempts = 0;
        res.succeededAfterRetry = res.succeededByFallback = res.retriesInAttempts = 0;
        res.outcomes.clear();
        res.failureReasons.clear();
        long retriesBefore = client.retriesMade();

        long t0 = System.nanoTime();
        Map<Integer, List<Attempt>> attemptsByCall = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          fs.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < callsPerThread; i++) {
              int call = thread * callsPerThread + i;
              callOnce(client, call, (call & 1) == 1, res, attemptsByCall);
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : fs) {
          f.get(60, TimeUnit.MINUTES);
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        res.seconds = (System.nanoTime() - t0) / 1e9;
        // Forced calls, one at a time after the concurrent phase: run inside it they could all
        // meet breakers opened by each other's failures and never reach a server (CI saw that).
        // A pause longer than the breaker's cool-down lets each one's first attempt through.
        for (int call : new java.util.TreeSet<>(forced.keySet())) {
          Thread.sleep(BREAKER_COOL_DOWN.toMillis() + 100);
          callOnce(client, call, (call & 1) == 1, res, attemptsByCall);
        }
        res.retriesByClient = client.retriesMade() - retriesBefore;

        // Attempts against what the servers did, call by call.
        Map<Integer, List<LoopbackServer.Recorded>> seenA = byCall(a);
        Map<Integer, List<LoopbackServer.Recorded>> seenB = byCall(b);
        for (Map.Entry<Integer, List<Attempt>> e : attemptsByCall.entrySet()) {
          List<Attempt> sentA = new ArrayList<>();
          List<Attempt> sentB = new ArrayList<>();
          for (Attempt at : e.getValue()) {
            if (at.outcome() != Attempt.Outcome.CIRCUIT_OPEN) {
              (at.provider().equals("a") ? sentA : sentB).add(at);
            }
          }
          res.attemptsSentToServer += sentA.size() + sentB.size();
          boolean matched = match(e.getKey(), sentA, seenA.getOrDefault(e.getKey(), List.of()),
              res) & match(e.getKey(), sentB, seenB.getOrDefault(e.getKey(), List.of()), res);
          if (!matched) {
            res.callsWithUnmatchedAttempts++;
          }
        }
        for (LoopbackServer.Recorded s : a.requests()) {
          if (!s.header("authorization").equals("Bearer " + apiKey)) {
            res.violations.add("server a got Authorization '" + s.header("authorization") + "'");
            break;
          }
        }
        res.faultsA = faultCounts(a);
        res.faultsB = faultCounts(b);
        res.serverRequests = a.requestCount() + b.requestCount();
        res.serverConnections = a.acceptedConnections() + b.acceptedConnections();
        res.surfaces.append(client).append('\n');
      }
      // Stalled answers end within their stall; idle connections close after IDLE.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((a.openConnections() + b.openConnections() > 0) && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      res.serverOpenAfterRun = a.openConnections() + b.openConnections();
      pa.close();
      pb.close();
    }
    // Servers closed: every client socket must be gone and no thread left behind.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    do {
      Thread.sleep(100);
      res.fdsAfter = ProcessProbe.openFileDescriptors();
      res.threadsAfter = nonPoolThreads();
    } while ((res.fdsAfter > res.fdsBaseline || res.threadsAfter > res.threadsBaseline)
        && System.nanoTime() < until);
    res.httpWorkersAfter = (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().matches("HttpClient-\\d+-Worker-\\d+")).count();
    return res;
  }

  /**
   * Threads except the JDK's shared pools that idle out on their own after 60 s: the HTTP
   * client's cached workers and the common fork-join pool (the caches' maintenance).
   */
  static int nonPoolThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.getName().matches("HttpClient-\\d+-Worker-\\d+")
            && !t.getName().startsWith("ForkJoinPool.commonPool-worker-"))
        .count();
  }

  private static boolean match(int call, List<Attempt> attempts,
      List<LoopbackServer.Recorded> seen,
      Result res) {
    if (attempts.size() != seen.size()) {
      // Only a request the client gave up on (or lost on a connection the server had just
      // closed) before the server read it can go unseen; the server never sees more requests.
      long lost = attempts.stream().filter(at -> at.outcome() == Attempt.Outcome.TIMEOUT
          || at.outcome() == Attempt.Outcome.CONNECTION).count();
      if (seen.size() > attempts.size() || attempts.size() - seen.size() > lost) {
        res.violations.add("call " + call + ": " + attempts.size() + " attempts but the server"
            + " saw " + seen.size() + " requests " + seen + "; attempts " + attempts);
      }
      return false;
    }
    for (int i = 0; i < attempts.size(); i++) {
      Attempt at = attempts.get(i);
      Fault f = seen.get(i).fault();
      // Any answer can be late on a loaded machine: a timeout is always a correct reading.
      if (!ALLOWED.get(f).contains(at.outcome()) && at.outcome() != Attempt.Outcome.TIMEOUT) {
        res.violations.add("call " + call + " attempt " + at.number() + ": the server did " + f
            + " but the client classified it " + at.outcome() + " (" + at.detail() + ")");
      }
    }
    return true;
  }

  private void callOnce(RoutingClient client, int call, boolean stream, Result res,
      Map<Integer, List<Attempt>> byCall) {
    RouteRequest q = RouteRequest.of("call-" + call + " "
        + QueryGenerator.WORDS[Math.floorMod(call * 7, QueryGenerator.WORDS.length)] + " "
        + QueryGenerator.WORDS[Math.floorMod(call * 13, QueryGenerator.WORDS.length)],
        Math.floorMod(call * 37, 100) / 100.0);
    StringBuilder deltas = new StringBuilder();
    Consumer<String> onDelta = deltas::append;
    try {
      CallResult r = stream ? client.stream(q, onDelta) : client.call(q);
      List<Attempt> at = r.attempts();
      synchronized (res) {
        res.calls++;
        res.succeeded++;
        res.attempts += at.size();
        if (at.size() > 1) {
          res.succeededAfterRetry++;
        }
        if (r.fellBack()) {
          res.succeededByFallback++;
        }
        at.forEach(x -> res.outcomes.merge(x.outcome().name(), 1, Integer::sum));
        res.retriesInAttempts += retries(at);
        if (res.surfaces.length() < 4_000_000) {
          res.surfaces.append(r).append('\n').append(r.summary()).append('\n');
          at.forEach(x -> res.surfaces.append(x).append('\n'));
        }
      }
      if (byCall != null) {
        byCall.put(call, at);
      }
      String expected = "ok call-" + call;
      if (!r.text().equals(expected)) {
        res.violations.add("call " + call + " succeeded with text '" + r.text() + "', expected '"
            + expected + "'");
      }
      if (stream && !deltas.toString().equals(r.text())) {
        res.violations.add("call " + call + ": deltas '" + deltas + "' differ from the text");
      }
      if (!at.get(at.size() - 1).succeeded() || at.subList(0, at.size() - 1).stream()
          .anyMatch(Attempt::succeeded)) {
        res.violations.add("call " + call + ": success whose last attempt is not the only"
            + " success: " + at);
      }
      RankedCandidate own = r.decision().ranking().stream()
          .filter(c -> c.model().equals(r.candidate())).findFirst().orElse(null);
      if (own == null || !own.parameters().equals(r.parameters())) {
        res.violations.add("call " + call + ": answered by " + r.candidate() + " with "
            + r.parameters() + ", not its own ranked parameters " + own);
      }
      checkBudgets(call, at, res);
    } catch (RoutingCallException e) {
      List<Attempt> at = e.attempts();
      synchronized (res) {
        res.calls++;
        res.failed++;
        res.attempts += at.size();
        at.forEach(x -> res.outcomes.merge(x.outcome().name(), 1, Integer::sum));
        res.retriesInAttempts += retries(at);
        String why = e.getMessage().substring(e.getMessage().indexOf("failed: ") + 8);
        why = why.substring(0, why.indexOf(';')).replaceAll("\\d+", "N");
        res.failureReasons.merge(why, 1, Integer::sum);
        if (res.surfaces.length() < 4_000_000) {
          StringWriter sw = new StringWriter();
          e.printStackTrace(new PrintWriter(sw));
          res.surfaces.append(sw).append('\n');
        }
      }
      if (byCall != null) {
        byCall.put(call, at);
      }
      if (at.isEmpty() || at.stream().anyMatch(Attempt::succeeded)) {
        res.violations.add("call " + call + ": failure with attempts " + at);
      }
      for (Attempt x : at) {
        if (!e.getMessage().contains("[" + x.number() + "] " + x.candidate())) {
          res.violations.add("call " + call + ": the error does not name attempt " + x.number()
              + ": " + e.getMessage());
          break;
        }
      }
      checkBudgets(call, at, res);
    } catch (Throwable t) {
      StringWriter sw = new StringWriter();
      t.printStackTrace(new PrintWriter(sw));
      res.violations.add("call " + call + " threw an unclassified " + t + "\n" + sw);
    }
  }

  private static int retries(List<Attempt> at) {
    return (int) at.stream().filter(x -> x.reason().startsWith("retry ")).count();
  }

  private static void checkBudgets(int call, List<Attempt> at, Result res) {
    Map<String, Integer> perCandidate = new HashMap<>();
    for (Attempt x : at) {
      if (x.outcome() != Attempt.Outcome.CIRCUIT_OPEN) {
        perCandidate.merge(x.candidate(), 1, Integer::sum);
      }
    }
    Map<String, Integer> tried = new LinkedHashMap<>();
    at.forEach(x -> tried.merge(x.candidate(), 1, Integer::sum));
    if (tried.size() > MAX_CANDIDATES) {
      res.violations.add("call " + call + " tried " + tried.size() + " candidates: " + at);
    }
    perCandidate.forEach((c, n) -> {
      if (n > 1 + MAX_RETRIES) {
        res.violations.add("call " + call + " tried " + c + " " + n + " times: " + at);
      }
    });
    if (at.size() > MAX_CANDIDATES * (1 + MAX_RETRIES)) {
      res.violations.add("call " + call + " made " + at.size() + " attempts");
    }
  }
}
