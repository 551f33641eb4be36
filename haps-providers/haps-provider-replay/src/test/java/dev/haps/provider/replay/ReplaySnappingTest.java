package dev.haps.provider.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.ChatMessage;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameter completion and snapping against a toy log given through the 'data' setting. */
class ReplaySnappingTest {

  @TempDir Path tmp;
  private LlmProvider replay;

  @BeforeEach
  void setUp() throws IOException {
    Path dir = ToyLog.write(tmp.resolve("toy"));
    replay = ProviderRegistry.load().create("replay",
        ProviderConfig.of("toy", Map.of("data", dir.toString())));
  }

  private Completion ask(String query, Map<String, ?> params) {
    return replay.complete(ChatRequest.of("m", List.of(ChatMessage.user(query))),
        ParameterValues.of(params));
  }

  @Test
  void complete_continuousValues_snapToTheNearestObserved() {
    Completion c = ask("first question", Map.of("temperature", 0.7, "max_tokens", 300));
    assertThat(c.attributes()).containsEntry("recorded_params",
        "temperature=0.5 max_tokens=400 style=short");
    assertThat(c.attributes()).containsEntry("score", "0.25");
    assertThat(c.costUsd()).isEqualTo(400 / 1e6);
    assertThat(c.usage().outputTokens()).isEqualTo(400);
    assertThat(c.text()).isEqualTo("[replay] m temperature=0.5 max_tokens=400 style=short:"
        + " recorded score 0.25 on query q1 (toy)");
  }

  @Test
  void complete_tie_goesToTheSmallerValue() {
    Completion c = ask("first question", Map.of("temperature", 0.75, "max_tokens", 250));
    assertThat(c.attributes()).containsEntry("recorded_params",
        "temperature=0.5 max_tokens=100 style=short");
  }

  @Test
  void complete_missingParameters_takeDefaultsThenSnap() {
    // Defaults: temperature 1.0 (observed), max_tokens 100 (observed), style short.
    Completion c = ask("first question", Map.of());
    assertThat(c.attributes()).containsEntry("recorded_params",
        "temperature=1.0 max_tokens=100 style=short");
    assertThat(c.attributes()).containsEntry("score", "0.5");
  }

  @Test
  void complete_sparseQuery_usesTheClosestRecordedConfigurationAndSaysSo() {
    Completion c = ask("second question", Map.of("temperature", 0.1, "style", "short"));
    assertThat(c.attributes()).containsEntry("recorded_params",
        "temperature=0.0 max_tokens=400 style=long");
    assertThat(c.text()).endsWith("; requested temperature=0.0 max_tokens=100 style=short,"
        + " which the log does not hold for this query");
  }

  @Test
  void complete_modelWithoutParameters_andUnknownCosts() {
    Completion c = replay.complete(
        ChatRequest.of("plain", List.of(ChatMessage.user("first question"))),
        ParameterValues.empty());
    assertThat(c.text()).isEqualTo("[replay] plain (defaults): recorded score 1.0 on query q1"
        + " (toy)");
    assertThat(c.cost()).isEmpty();
    assertThat(c.usage().totalTokens()).isZero();
  }

  @Test
  void complete_modelWithoutOutcomeOnQuery_isBadRequest() {
    assertThatThrownBy(() -> replay.complete(
        ChatRequest.of("plain", List.of(ChatMessage.user("second question"))),
        ParameterValues.empty()))
        .isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.BAD_REQUEST))
        .hasMessage("replay provider 'toy': the log 'toy' has no outcome of model 'plain' for"
            + " query 'q2'; models with outcomes on it: [m]");
  }

  @Test
  void complete_valueAboveMax_isInvalidParameter() {
    assertThatThrownBy(() -> ask("first question", Map.of("temperature", 2.5)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("parameter 'temperature' = 2.5 is invalid: above the maximum 2.0");
  }

  @Test
  void complete_fractionalInt_isInvalidParameter() {
    assertThatThrownBy(() -> ask("first question", Map.of("max_tokens", 10.5)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("parameter 'max_tokens' = 10.5 is invalid: expected a whole number in [1,"
            + " 1000]");
  }
}
