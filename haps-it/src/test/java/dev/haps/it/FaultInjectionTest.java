package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault injection through {@link dev.haps.client.RoutingClient} (issue 8, item 4): see
 * {@link FaultScenario}. The default run makes 504 calls from 8 threads; {@code -Pstress} makes
 * 10,240 from 16.
 */
class FaultInjectionTest {

  static final String KEY = "sk-fault-injection-not-a-secret";

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void call_fiveHundredCallsUnderRandomFaults_succeedOrFailClassifiedWithinBudgets()
      throws Exception {
    check("fault-injection-fast", new FaultScenario(2026L, 8, 63, KEY).run(), 8 * 63, 8);
  }

  @Test
  @Tag("stress")
  @Timeout(value = 90, unit = TimeUnit.MINUTES)
  void call_tenThousandCallsUnderRandomFaults_succeedOrFailClassifiedWithinBudgets()
      throws Exception {
    check("fault-injection-long", new FaultScenario(7L, 16, 640, KEY).run(), 16 * 640, 16);
  }

  static void check(String name, FaultScenario.Result r, int calls, int threads) {
    Report report = new Report(name)
        .put("calls", r.calls)
        .put("threads", threads)
        .put("succeeded", r.succeeded)
        .put("succeededAfterRetryOrFallback", r.succeededAfterRetry)
        .put("succeededByFallback", r.succeededByFallback)
        .put("failedClassified", r.failed)
        .put("failureReasons", r.failureReasons)
        .put("attempts", r.attempts)
        .put("attemptOutcomes", r.outcomes)
        .put("requestsServed", r.serverRequests)
        .put("connectionsAccepted", r.serverConnections)
        .put("faultsServerA", r.faultsA)
        .put("faultsServerB", r.faultsB)
        .put("callsWhoseAttemptsTheServerDidNotAllSee", r.callsWithUnmatchedAttempts)
        .put("retriesMade", r.retriesByClient)
        .put("retryBudgetCap", FaultScenario.BUDGET_RESERVE + " + " + FaultScenario.BUDGET_RATIO
            + " x calls = " + (long) (FaultScenario.BUDGET_RESERVE
            + FaultScenario.BUDGET_RATIO * (calls + 10)))
        .put("threadsBaselineAfter", r.threadsBaseline + " -> " + r.threadsAfter
            + " (plus " + r.httpWorkersAfter + " idle JDK HttpClient workers)")
        .put("fileDescriptorsBaselineAfter", r.fdsBaseline + " -> " + r.fdsAfter)
        .put("serverConnectionsOpenAfterRun", r.serverOpenAfterRun)
        .put("seconds", String.format(java.util.Locale.ROOT, "%.1f", r.seconds))
        .put("violations", r.violations.size());
    report.write();
    assertThat(r.violations).as("contract violations").isEmpty();
    assertThat(r.calls).isEqualTo(calls);
    assertThat(r.succeeded + r.failed).isEqualTo(calls);
    assertThat(r.succeeded).as("calls that succeeded").isGreaterThan(calls / 2);
    assertThat(r.succeededAfterRetry).as("successes that needed a retry or fallback")
        .isPositive();
    assertThat(r.retriesByClient).as("retries counted by the client and named by attempts")
        .isEqualTo(r.retriesInAttempts);
    assertThat((double) r.retriesByClient).as("retries within the budget")
        .isLessThanOrEqualTo(FaultScenario.BUDGET_RESERVE
            + FaultScenario.BUDGET_RATIO * (calls + 10));
    assertThat(r.serverOpenAfterRun).as("server connections open after the run").isZero();
    if (r.fdsBaseline > 0) {
      assertThat(r.fdsAfter).as("file descriptors after the servers closed")
          .isLessThanOrEqualTo(r.fdsBaseline);
    }
    assertThat(r.threadsAfter).as("threads after the run").isLessThanOrEqualTo(r.threadsBaseline);
    assertThat(r.httpWorkersAfter).as("idle JDK HttpClient workers")
        .isLessThanOrEqualTo(4 * threads + 8);
  }
}
