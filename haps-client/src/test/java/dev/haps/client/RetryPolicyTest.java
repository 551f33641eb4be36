package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ProviderException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void backoff_seededRandom_staysWithinJitterBoundsAndHonoursRetryAfter() {
    Random rnd = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      long initial = rnd.nextInt(1000);
      long max = initial + rnd.nextInt(10_000);
      double mult = 1 + rnd.nextDouble() * 3;
      double jitter = rnd.nextDouble();
      RetryPolicy p = RetryPolicy.builder()
          .backoff(Duration.ofMillis(initial), Duration.ofMillis(max), mult).jitter(jitter)
          .maxRetryAfter(Duration.ofSeconds(30)).build();
      int retry = rnd.nextInt(12);
      Duration retryAfter = rnd.nextBoolean() ? null : Duration.ofMillis(rnd.nextInt(60_000));
      Duration wait = p.backoff(retry, retryAfter, rnd.nextDouble());
      if (retryAfter != null && retryAfter.compareTo(Duration.ofSeconds(30)) > 0) {
        assertThat(wait).isNull();
        continue;
      }
      double base = Math.min(initial * Math.pow(mult, retry), max) * 1e6;
      long lower = (long) (base * (1 - jitter)) - 1;
      assertThat(wait.toNanos()).isLessThanOrEqualTo(Math.max((long) base,
          retryAfter == null ? 0 : retryAfter.toNanos()));
      assertThat(wait.toNanos()).isGreaterThanOrEqualTo(Math.max(lower,
          retryAfter == null ? 0 : retryAfter.toNanos()));
    }
  }

  @Test
  void budget_seededSequences_neverExceedReservePlusRatioTimesCalls() {
    Random rnd = new Random(7);
    for (int run = 0; run < 200; run++) {
      int reserve = rnd.nextInt(20);
      double ratio = rnd.nextDouble() * 0.5;
      RetryBudget b = new RetryBudget(reserve, ratio);
      long calls = 0;
      for (int i = 0; i < 2000; i++) {
        if (rnd.nextInt(3) == 0) {
          b.onCall();
          calls++;
        } else {
          b.tryRetry();
        }
        assertThat((double) b.retries()).isLessThanOrEqualTo(reserve + ratio * calls + 1e-9);
      }
    }
  }

  @Test
  void builder_badValues_areRejectedWithTheRule() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 0, got -1");
    assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1], got 1.5");
    assertThatThrownBy(() -> RetryPolicy.builder()
        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    assertThatThrownBy(() -> RetryPolicy.builder().budget(1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite ratio");
    assertThatThrownBy(() -> new CircuitBreakerPolicy(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, got 0");
  }

  @Test
  void outcomeOf_everyProviderKind_mapsToTheSameName() {
    for (ProviderException.Kind k : ProviderException.Kind.values()) {
      Attempt.Outcome o = Attempt.Outcome.of(k);
      assertThat(o.name()).isEqualTo(k.name());
      assertThat(o.retryable()).isEqualTo(k.retryable());
    }
  }
}
