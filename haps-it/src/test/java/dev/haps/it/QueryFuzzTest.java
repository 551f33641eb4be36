package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.ChatMessage;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.RoutingText;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.ReliabilityFixtures;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.QueryEncoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Query fuzzing (issue 8, item 2): seeded hostile queries and request shapes through a real
 * router (a real bundle in ONNX Runtime). The bulk goes through the hashing test encoder; a few
 * hundred through the real default encoder (all-MiniLM-L6-v2 int8 with its tokenizer). Each
 * request is routed with every decision inside the declared spaces and the request's
 * constraints, or rejected with an {@link InvalidRequestException} that says why; a request is
 * rejected only when it is really invalid. A 1 MiB query and a 1,000,000-message conversation
 * route too, the latter reading only the turns it must.
 */
class QueryFuzzTest {

  private static final List<String> MODELS = List.of("gpt-4", "mixtral-8x7b", "claude-instant");

  /** Tallies and failures of one fuzz run. */
  static final class Tally {
    final Map<String, int[]> byFamily = new TreeMap<>(); // routed, rejected, no-eligible
    final List<String> failures = new ArrayList<>();
    final Map<String, String> messages = new TreeMap<>();
    int generated;
    int routed;
    int rejectedAtBuild;
    int rejectedByRouter;
    int noEligible;
    int batches;
    long slowestNanos;
    String slowest = "";
    double seconds;

    void count(String family, int column) {
      byFamily.computeIfAbsent(family, k -> new int[3])[column]++;
    }

    void fail(String what, Throwable t) {
      if (failures.size() < 50) {
        StringWriter sw = new StringWriter();
        if (t != null) {
          t.printStackTrace(new PrintWriter(sw));
        }
        failures.add(what + (t == null ? "" : ": " + t + "\n"
            + BundleFuzzer.shorten(sw.toString(), 1500)));
      } else if (failures.size() == 50) {
        failures.add("... more failures not shown");
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void route_tenThousandHostileQueries_routedInsideSpacesOrRejectedClearly() throws Exception {
    long t0 = System.nanoTime();
    Tally t = fuzzHashing(20260131L, 10_000, 8_000);
    long t1 = System.nanoTime();
    Tally real = fuzzRealEncoder(99L, 150, 1);
    t.seconds = (t1 - t0) / 1e9;
    real.seconds = (System.nanoTime() - t1) / 1e9;
    report("query-fuzz-fast", t, real);
  }

  @Test
  @Tag("stress")
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void route_manyHostileQueries_routedInsideSpacesOrRejectedClearly() throws Exception {
    long t0 = System.nanoTime();
    Tally t = fuzzHashing(7L, 200_000, 60_000);
    long t1 = System.nanoTime();
    Tally real = fuzzRealEncoder(8L, 3_000, 6);
    t.seconds = (t1 - t0) / 1e9;
    real.seconds = (System.nanoTime() - t1) / 1e9;
    report("query-fuzz-long", t, real);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void route_millionMessageConversation_readsOnlyTheTurnsItMust() {
    try (HapsRouter router = HapsRouter.builder()
        .bundle(ReliabilityFixtures.spec().seed(3).expectedCost(true).bundle(RouterBundle::fromBytes))
        .encoder(ReliabilityFixtures.hashingEncoder()).build()) {
      RouterBundle bundle = router.currentBundle();
      String last = "what is the capital of Peru";
      List<ChatMessage> turns = new ArrayList<>(1_000_000);
      turns.add(ChatMessage.system("be brief"));
      String user = "earlier question about primes";
      String assistant = "an earlier answer";
      while (turns.size() < 999_999) {
        turns.add(turns.size() % 2 == 1 ? ChatMessage.user(user)
            : ChatMessage.assistant(assistant));
      }
      turns.add(ChatMessage.user(last));
      assertThat(turns).hasSize(1_000_000);

      RouteRequest small = RouteRequest.of(last, 0.3);
      RouteDecision expected = router.route(small);
      RouteRequest huge = RouteRequest.builder().messages(turns).costWeight(0.3).build();
      router.invalidateCaches();
      long t0 = System.nanoTime();
      RouteDecision d = router.route(huge);
      long lastTurnNanos = System.nanoTime() - t0;
      Decisions.assertInside(bundle, d, huge);
      // Only the last user turn decides: the same decision as the one-message request.
      assertThat(Decisions.fingerprint(d)).isEqualTo(Decisions.fingerprint(expected));

      // The only user turn at the very start: the scan walks back to it, and stops there.
      List<ChatMessage> early = new ArrayList<>(1_000_000);
      early.add(ChatMessage.user(last));
      while (early.size() < 1_000_000) {
        early.add(ChatMessage.assistant(assistant));
      }
      RouteRequest firstOnly = RouteRequest.builder().messages(early).costWeight(0.3).build();
      router.invalidateCaches();
      long t1 = System.nanoTime();
      RouteDecision d2 = router.route(firstOnly);
      long scanNanos = System.nanoTime() - t1;
      assertThat(Decisions.fingerprint(d2)).isEqualTo(Decisions.fingerprint(expected));

      // All user turns: 500,000 turns joined (about 15 MB of text) still route, uncached.
      RouteRequest all = RouteRequest.builder().messages(turns)
          .routingText(RoutingText.ALL_USER_TURNS).costWeight(0.3).build();
      long t2 = System.nanoTime();
      RouteDecision d3 = router.route(all);
      long allNanos = System.nanoTime() - t2;
      Decisions.assertInside(bundle, d3, all);

      // A million blank user turns: a clear error, not a crash.
      List<ChatMessage> blank = new ArrayList<>(Arrays.asList(
          new ChatMessage[1_000_000]));
      ChatMessage empty = ChatMessage.user(" \t ");
      blank.replaceAll(x -> empty);
      InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(
          InvalidRequestException.class, () -> RouteRequest.builder().messages(blank).build());
      assertThat(e.getMessage()).contains("empty query");

      new Report("million-message-conversation")
          .put("messages", turns.size())
          .put("lastUserTurnRouteMs", TimeUnit.NANOSECONDS.toMillis(lastTurnNanos))
          .put("firstTurnOnlyRouteMs", TimeUnit.NANOSECONDS.toMillis(scanNanos))
          .put("allUserTurnsRouteMs", TimeUnit.NANOSECONDS.toMillis(allNanos))
          .write();
      // Reading one turn of a million must not cost like reading them all.
      assertThat(TimeUnit.NANOSECONDS.toMillis(lastTurnNanos)).isLessThan(1_000);
    }
  }

  /**
   * Found by this fuzzing: an unpaired surrogate anywhere in a text made the tokenizer's native
   * side decode the whole text lossily, dropping every emoji and other character outside the
   * Basic Multilingual Plane ("\ud83d\ude00 \ud800" had no tokens; "\ud83d\ude00" has one).
   * The lone surrogate must count as U+FFFD and nothing else may change.
   */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void tokenize_unpairedSurrogate_keepsCharactersOutsideTheBasicPlane() {
    try (OnnxQueryEncoder enc = OnnxQueryEncoder.builder().defaultModel().build()) {
      String[] texts = {"\ud83d\ude00", "caf\u00e9 \ud83d\ude00 ok",
          "\ud835\udd18\ud835\udd2b\ud835\udd26 hello", "\u4f60\u597d \ud83d\udc4d\ud83c\udffd"};
      for (String t : texts) {
        for (String lone : new String[] {"\ud800", "\udfff", "\udc00\ud800"}) {
          String broken = t + " " + lone;
          String replaced = t + " " + "\ufffd".repeat(lone.length());
          assertThat(enc.tokenize(broken).ids()).as(preview(broken))
              .containsExactly(enc.tokenize(replaced).ids());
          assertThat(enc.tokenize(lone + t).ids()).as(preview(lone + t))
              .containsExactly(enc.tokenize("\ufffd".repeat(lone.length()) + t).ids());
        }
      }
      // The emoji survives: [CLS] [UNK] [SEP], not "no tokens".
      assertThat(enc.tokenize("\ud83d\ude00 \ud800").ids()).hasSize(3);
    }
  }

  // ---------------------------------------------------------------------------------------

  private static Tally fuzzHashing(long seed, int n, int maxLong) throws Exception {
    Tally t = new Tally();
    QueryEncoder enc = ReliabilityFixtures.hashingEncoder();
    try (HapsRouter router = HapsRouter.builder()
        .bundle(ReliabilityFixtures.spec().seed(5).expectedCost(true).bundle(RouterBundle::fromBytes))
        .encoder(enc).cache(CacheSettings.defaults()).build()) {
      QueryGenerator g = new QueryGenerator(seed);
      List<RouteRequest> batch = new ArrayList<>();
      List<String> batchPrints = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String text = g.next(maxLong);
        fuzzOne(router, g, text, g.family(), t, batch, batchPrints, i % 97 == 0);
      }
      int k = 0;
      for (String mb : QueryGenerator.megabyteTexts()) {
        fuzzOne(router, g, mb, "one-mebibyte-" + k++, t, batch, batchPrints, false);
      }
    }
    return t;
  }

  private static Tally fuzzRealEncoder(long seed, int n, int megabytes) throws Exception {
    Tally t = new Tally();
    try (OnnxQueryEncoder enc = OnnxQueryEncoder.builder().defaultModel().build();
        HapsRouter router = HapsRouter.builder()
            .bundle(ReliabilityFixtures.spec().seed(5).encoder(enc.info()).expectedCost(true)
                .bundle(RouterBundle::fromBytes))
            .encoder(enc).cache(CacheSettings.disabled()).build()) {
      QueryGenerator g = new QueryGenerator(seed);
      List<RouteRequest> batch = new ArrayList<>();
      List<String> prints = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String text = g.next(20_000);
        fuzzOne(router, g, text, g.family(), t, batch, prints, false);
      }
      String[] mb = QueryGenerator.megabyteTexts();
      for (int k = 0; k < Math.min(megabytes, mb.length); k++) {
        fuzzOne(router, g, mb[k], "one-mebibyte-" + k, t, batch, prints, false);
      }
    }
    return t;
  }

  /** Builds a request around the text, routes it, and judges the outcome. */
  private static void fuzzOne(HapsRouter router, QueryGenerator g, String text, String family,
      Tally t, List<RouteRequest> batch, List<String> batchPrints, boolean async) {
    t.generated++;
    Random r = g.random();
    RouteRequest.Builder b = RouteRequest.builder();
    RoutingText policy = RoutingText.LAST_USER_TURN;
    String routingText = text;
    if (r.nextInt(10) < 3) {
      List<ChatMessage> turns = new ArrayList<>();
      turns.add(ChatMessage.system("You are terse. " + text.substring(0,
          Math.min(20, text.length()))));
      turns.add(ChatMessage.user("first question about primes"));
      turns.add(ChatMessage.assistant("an answer"));
      turns.add(ChatMessage.user(text));
      if (r.nextBoolean()) {
        turns.add(ChatMessage.assistant(""));
      }
      b.messages(turns);
      if (r.nextBoolean()) {
        policy = RoutingText.ALL_USER_TURNS;
        b.routingText(policy);
        routingText = text.isBlank() ? "first question about primes"
            : "first question about primes\n\n" + text;
      } else if (text.isBlank()) {
        routingText = "first question about primes"; // the last non-blank user turn
      }
    } else {
      b.query(text);
    }
    double cw = switch (r.nextInt(20)) {
      case 0 -> 0.0;
      case 1 -> 1.0;
      case 2 -> -0.0;
      case 3 -> Double.MIN_VALUE;
      case 4 -> Math.nextDown(1.0);
      case 5 -> new double[] {Double.NaN, -0.01, 1.01, Double.POSITIVE_INFINITY}[r.nextInt(4)];
      default -> r.nextDouble();
    };
    b.costWeight(cw);
    boolean constrained = false;
    if (r.nextInt(7) == 0) {
      b.deny(subset(r));
      constrained = true;
    }
    if (r.nextInt(9) == 0) {
      b.allow(subset(r));
      constrained = true;
    }
    boolean badCost = false;
    if (r.nextInt(9) == 0) {
      double max = new double[] {1e-9, 0.001, 0.01, 0.1, 1e300, Double.NaN, 0, -1,
          Double.POSITIVE_INFINITY}[r.nextInt(9)];
      b.maxCostPerCallUsd(max);
      badCost = !(max > 0 && Double.isFinite(max));
      constrained = true;
    }
    boolean shouldReject = routingText.isBlank() || !(cw >= 0 && cw <= 1) || badCost;
    RouteRequest request;
    try {
      request = b.build();
    } catch (InvalidRequestException e) {
      t.rejectedAtBuild++;
      t.count(family, 1);
      checkMessage(t, family, e);
      if (!shouldReject) {
        t.fail("[" + family + "] a valid request was refused at build (text "
            + preview(text) + ", cost weight " + cw + ")", e);
      }
      return;
    } catch (RuntimeException e) {
      t.fail("[" + family + "] building the request threw " + e.getClass().getSimpleName(), e);
      return;
    }
    if (shouldReject) {
      t.fail("[" + family + "] an invalid request was accepted at build (text " + preview(text)
          + ", cost weight " + cw + ")", null);
    }
    long t0 = System.nanoTime();
    try {
      RouteDecision d = async ? await(router.routeAsync(request)) : router.route(request);
      Decisions.assertInside(router.currentBundle(), d, request);
      t.routed++;
      t.count(family, 0);
      if (!async && batch.size() < 16) {
        batch.add(request);
        batchPrints.add(Decisions.fingerprint(d));
      }
      if (batch.size() == 16) {
        List<RouteDecision> ds = router.route(batch);
        for (int i = 0; i < ds.size(); i++) {
          if (!Decisions.fingerprint(ds.get(i)).equals(batchPrints.get(i))) {
            t.fail("a batched decision differs from the single one: " + batch.get(i), null);
          }
        }
        t.batches++;
        batch.clear();
        batchPrints.clear();
      }
    } catch (NoEligibleCandidateException e) {
      t.noEligible++;
      t.count(family, 2);
      checkMessage(t, family, e);
      if (!constrained) {
        t.fail("[" + family + "] no eligible candidate without any constraint", e);
      } else if (!e.reasons().keySet().containsAll(MODELS)) {
        t.fail("[" + family + "] no-eligible error does not list every candidate: "
            + e.reasons(), e);
      }
    } catch (InvalidRequestException e) {
      t.rejectedByRouter++;
      t.count(family, 1);
      checkMessage(t, family, e);
      // Only a text without a letter or digit may come out of the tokenizer empty.
      if (request.routingText().codePoints().anyMatch(Character::isLetterOrDigit)) {
        t.fail("[" + family + "] the router refused a query with letters or digits "
            + preview(text), e);
      }
    } catch (Throwable e) {
      t.fail("[" + family + "] text " + preview(text) + " (" + request + ")", e);
    }
    long took = System.nanoTime() - t0;
    if (took > t.slowestNanos) {
      t.slowestNanos = took;
      t.slowest = family + " (" + text.length() + " chars)";
    }
  }

  private static RouteDecision await(java.util.concurrent.CompletableFuture<RouteDecision> f)
      throws Exception {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }

  private static void checkMessage(Tally t, String family, Exception e) {
    String m = e.getMessage();
    if (m == null || m.length() < 20) {
      t.fail("[" + family + "] rejection without a clear message: " + m, e);
      return;
    }
    t.messages.putIfAbsent(e.getClass().getSimpleName() + "." + family,
        BundleFuzzer.shorten(m, 240));
  }

  private static List<String> subset(Random r) {
    List<String> out = new ArrayList<>();
    for (String m : MODELS) {
      if (r.nextBoolean()) {
        out.add(m);
      }
    }
    if (r.nextInt(4) == 0) {
      out.add("no-such-model");
    }
    return out;
  }

  private static String preview(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints().limit(40).forEach(cp -> {
      if (cp < 0x20 || cp > 0x7e) {
        sb.append(String.format("\\u%04x", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.append(s.length() > 40 ? "...\" (" + s.length() + " chars)" : "\"").toString();
  }

  private static void report(String name, Tally t, Tally real) {
    Report rep = new Report(name)
        .put("queriesGenerated", t.generated)
        .put("routed", t.routed)
        .put("rejectedAtBuild", t.rejectedAtBuild)
        .put("rejectedByRouter", t.rejectedByRouter)
        .put("noEligibleCandidate", t.noEligible)
        .put("batchesComparedWithSingle", t.batches)
        .put("slowestMs", TimeUnit.NANOSECONDS.toMillis(t.slowestNanos) + " " + t.slowest)
        .put("seconds", String.format(java.util.Locale.ROOT, "%.1f", t.seconds))
        .put("realEncoder.seconds", String.format(java.util.Locale.ROOT, "%.1f", real.seconds))
        .put("realEncoder.queriesGenerated", real.generated)
        .put("realEncoder.routed", real.routed)
        .put("realEncoder.rejectedAtBuild", real.rejectedAtBuild)
        .put("realEncoder.rejectedByRouter", real.rejectedByRouter)
        .put("realEncoder.noEligibleCandidate", real.noEligible)
        .put("realEncoder.slowestMs", TimeUnit.NANOSECONDS.toMillis(real.slowestNanos) + " "
            + real.slowest)
        .put("failures", t.failures.size() + real.failures.size());
    t.byFamily.forEach((k, v) -> rep.put("family." + k, "routed " + v[0] + ", rejected " + v[1]
        + ", no eligible " + v[2]));
    real.byFamily.forEach((k, v) -> rep.put("realEncoder.family." + k, "routed " + v[0]
        + ", rejected " + v[1] + ", no eligible " + v[2]));
    t.messages.forEach((k, v) -> rep.put("message." + k, v));
    real.messages.forEach((k, v) -> rep.put("realEncoder.message." + k, v));
    rep.write();
    assertThat(t.failures).as("hashing-encoder failures").isEmpty();
    assertThat(real.failures).as("real-encoder failures").isEmpty();
    assertThat(t.routed).isGreaterThan(t.generated / 2);
    assertThat(real.routed).isGreaterThan(real.generated / 3);
  }
}
