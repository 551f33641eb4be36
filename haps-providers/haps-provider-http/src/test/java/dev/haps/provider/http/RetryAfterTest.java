package dev.haps.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2015-10-21T07:27:00Z"), ZoneOffset.UTC);

  @Test
  void parse_deltaSeconds_isThatDelay() {
    assertThat(RetryAfter.parse("2", CLOCK)).contains(Duration.ofSeconds(2));
    assertThat(RetryAfter.parse(" 0 ", CLOCK)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("1.5", CLOCK)).contains(Duration.ofMillis(1500));
  }

  @Test
  void parse_httpDate_isTimeUntilThen() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", CLOCK))
        .contains(Duration.ofSeconds(60));
  }

  @Test
  void parse_httpDateInThePast_isZero() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", CLOCK)).contains(Duration.ZERO);
  }

  @Test
  void parse_garbage_isEmpty() {
    assertThat(RetryAfter.parse("soon", CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("", CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("-3", CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("1e400", CLOCK)).isEmpty();
  }

  @Test
  void parse_absurdSeconds_isClampedToADay() {
    assertThat(RetryAfter.parse("99999999999", CLOCK)).contains(Duration.ofDays(1));
  }

  @Test
  void from_retryAfterMs_winsOverRetryAfter() {
    HttpHeaders h = HttpHeaders.of(
        Map.of("retry-after", List.of("5"), "retry-after-ms", List.of("250")), (a, b) -> true);
    assertThat(RetryAfter.from(h, CLOCK)).contains(Duration.ofMillis(250));
  }

  @Test
  void from_noHeader_isEmpty() {
    assertThat(RetryAfter.from(HttpHeaders.of(Map.of(), (a, b) -> true), CLOCK)).isEmpty();
  }
}
