package dev.haps.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.client.CallResult;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  @Test
  void run_routesAndCallsTheReplayBackend() {
    Output out = new Output();

    CallResult r = QuickStart.run(out.stream, 0.5);

    assertThat(r.candidate()).isIn("gpt-4", "gpt-35-turbo");
    assertThat(r.provider()).isEqualTo("replay");
    assertThat(r.parameters().names()).containsExactly("prompt_style");
    assertThat(r.cost()).isPresent();
    assertThat(r.completion().attributes()).containsKey("score");
    assertThat(out.text()).contains("model:      " + r.candidate() + " (via replay)",
        "parameters: {prompt_style=", "answer:     [replay] " + r.candidate(), "cost:       $");
  }

  @Test
  void run_costWeightOne_choosesACheaperCallThanCostWeightZero() {
    CallResult quality = QuickStart.run(new Output().stream, 0.0);
    CallResult cheap = QuickStart.run(new Output().stream, 1.0);

    assertThat(cheap.costUsd()).isLessThanOrEqualTo(quality.costUsd());
  }
}
