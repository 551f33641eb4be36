package dev.haps.provider.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.OutcomeLog;
import dev.haps.data.OutcomeLogException;
import dev.haps.data.Outcome;
import dev.haps.data.QueryRecord;
import dev.haps.testing.SharedData;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayProviderTest {

  private static final String AQUA_5 = "Topic: Math\nQuestion: A trader sold an article at a"
      + " profit of 20% for Rs.360. What is the cost price of the article?\nChoices:\n  A: 270\n"
      + "  B: 300\n  C: 280\n  D: 320\n  E: 315\n";

  @TempDir Path tmp;

  private static LlmProvider bundled() {
    return ProviderRegistry.load().create("replay", ProviderConfig.of("local", Map.of()));
  }

  private static ChatRequest ask(String model, String query) {
    return ChatRequest.of(model, List.of(ChatMessage.system("You are terse."),
        ChatMessage.user(query)));
  }

  private static ParameterValues style(String s) {
    return ParameterValues.of(Map.of("prompt_style", s));
  }

  @Test
  void registry_discoversReplayThroughServiceLoader() {
    ProviderRegistry registry = ProviderRegistry.load();
    assertThat(registry.types()).contains("replay");
    assertThat(registry.factory("replay")).isInstanceOf(ReplayProviderFactory.class);
    assertThat(registry.factory("replay").description()).contains("no network");
  }

  @Test
  void models_areTheBundledCandidatesWithPricesAndSpaces() {
    LlmProvider p = bundled();
    assertThat(p.id()).isEqualTo("local");
    assertThat(p.models()).extracting(ModelInfo::id).containsExactly("gpt-35-turbo", "gpt-4");
    ModelInfo gpt4 = p.models().get(1);
    assertThat(gpt4.inputPricePerMtok()).isEqualTo(30.0);
    assertThat(gpt4.outputPricePerMtok()).isEqualTo(60.0);
    assertThat(p.parameterSpace("gpt-4")).isEqualTo(ParameterSpace.of(CategoricalSpec.of(
        "prompt_style", "baseline", "baseline", "concise", "chain_of_thought", "composite")));
  }

  @Test
  void complete_knownQuery_returnsTheRecordedOutcome() {
    Completion c = bundled().complete(ask("gpt-4", AQUA_5), style("concise"));

    assertThat(c.model()).isEqualTo("gpt-4");
    assertThat(c.text()).isEqualTo("[replay] gpt-4 prompt_style=concise: recorded score 1.0 on"
        + " query agi-eval/aqua-rat/5 (concise-cot)");
    assertThat(c.costUsd()).isEqualTo(0.0723);
    assertThat(c.usage().inputTokens()).isEqualTo(284);
    assertThat(c.usage().outputTokens()).isEqualTo(1063);
    assertThat(c.latency()).isPositive();
    assertThat(c.attributes()).containsEntry("score", "1.0")
        .containsEntry("query_id", "agi-eval/aqua-rat/5")
        .containsEntry("task", "agi-eval/aqua-rat")
        .containsEntry("split", "train")
        .containsEntry("benchmark", "concise-cot")
        .containsEntry("recorded_params", "prompt_style=concise");
  }

  @Test
  void complete_missingParameter_usesTheDefault() {
    Completion c = bundled().complete(ask("gpt-35-turbo", AQUA_5), ParameterValues.empty());
    // gpt-35-turbo, baseline (the default): score 0, 246 + 60 tokens, $0.000489.
    assertThat(c.attributes()).containsEntry("score", "0.0")
        .containsEntry("recorded_params", "prompt_style=baseline");
    assertThat(c.costUsd()).isEqualTo(0.000489);
    assertThat(c.usage().totalTokens()).isEqualTo(306);
  }

  @Test
  void complete_whitespaceDifferences_stillMatch() {
    String messy = "  " + AQUA_5.replace("\n", "\r\n").replace("  A:", "\tA:") + "\n\n";
    Completion c = bundled().complete(ask("gpt-4", messy), style("baseline"));
    assertThat(c.attributes()).containsEntry("query_id", "agi-eval/aqua-rat/5");
    assertThat(c.costUsd()).isEqualTo(0.01086);
  }

  @Test
  void complete_everyRecordedOutcome_isReplayedExactly() {
    ReplayProvider p = ReplayProvider.bundled("local");
    int checked = 0;
    for (QueryRecord r : p.log().records()) {
      for (Outcome o : r.outcomes()) {
        Completion c = p.complete(ask(o.model(), r.query()), o.params());
        assertThat(c.attributes().get("query_id")).isEqualTo(r.id());
        assertThat(c.attributes().get("score")).isEqualTo(Double.toString(o.score()));
        assertThat(c.costUsd()).isEqualTo(o.costUsd());
        assertThat(c.usage().inputTokens()).isEqualTo(o.inputTokens());
        checked++;
      }
    }
    assertThat(checked).isEqualTo(7176);
  }

  @Test
  void bundledLog_isTheSharedConciseCotLog() {
    Optional<Path> shared = SharedData.benchmark("concise-cot");
    assumeThat(shared).isPresent();
    assertThat(ReplayProvider.bundledLog().sha256())
        .isEqualTo(OutcomeLog.load(shared.get()).sha256());
    assertThat(ReplayProvider.bundledLog().candidates().license()).get().asString()
        .contains("BSD-2-Clause");
    assertThat(ReplayProvider.class.getResource(
        "/dev/haps/provider/replay/concise-cot/LICENSE-NOTICE.txt")).isNotNull();
  }

  @Test
  void recordedOutcome_knownAndUnknownQueries() {
    ReplayProvider p = ReplayProvider.bundled("local");
    assertThat(p.recordedOutcome(AQUA_5, "gpt-4", style("composite")))
        .get().extracting(Outcome::costUsd).isEqualTo(0.15054);
    assertThat(p.recordedOutcome("What is the capital of France?", "gpt-4", style("concise")))
        .isEmpty();
  }

  // ------------------------------------------------------------- errors

  @Test
  void complete_unknownQuery_isBadRequestNamingTheFix() {
    assertThatThrownBy(() -> bundled().complete(ask("gpt-4",
        "What is the capital of France? Answer in one word, please, and nothing else at all."),
        style("concise")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.kind()).isEqualTo(ProviderException.Kind.BAD_REQUEST);
          assertThat(e.retryable()).isFalse();
          assertThat(e.provider()).isEqualTo("local");
        })
        .hasMessage("replay provider 'local' has no recorded query matching 'What is the"
            + " capital of France? Answer in one word, please...' (83 chars): replay answers"
            + " only the 897 queries in its outcome log 'concise-cot'; to replay other queries,"
            + " set 'data' to a directory holding candidates.json and outcomes.jsonl that"
            + " contain them");
  }

  @Test
  void complete_unknownModel_isConfigurationError() {
    assertThatThrownBy(() -> bundled().complete(ask("gpt-5", AQUA_5), ParameterValues.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("replay provider 'local' has no model 'gpt-5': its log 'concise-cot' holds"
            + " [gpt-35-turbo, gpt-4]; map the candidate to one of these, or point setting"
            + " 'data' at a log that holds 'gpt-5'");
    assertThatThrownBy(() -> bundled().parameterSpace("gpt-5"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void complete_undeclaredChoice_isRejectedBeforeTheQueryLookup() {
    // The query is unknown too: the parameter check must come first.
    assertThatThrownBy(() -> bundled().complete(ask("gpt-4", "not in the log"),
        style("pirate")))
        .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
          assertThat(e.parameter()).isEqualTo("prompt_style");
          assertThat(e.value()).isEqualTo("'pirate'");
        })
        .hasMessage("parameter 'prompt_style' = 'pirate' is invalid: expected one of [baseline,"
            + " concise, chain_of_thought, composite]");
  }

  @Test
  void complete_undeclaredParameter_isRejected() {
    assertThatThrownBy(() -> bundled().complete(ask("gpt-4", AQUA_5),
        ParameterValues.of(Map.of("temperature", 0.2))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("parameter 'temperature' = 0.2 is invalid: not a declared parameter;"
            + " declared: [prompt_style]");
  }

  @Test
  void complete_noUserTurn_isBadRequest() {
    ChatRequest onlySystem = ChatRequest.of("gpt-4", List.of(ChatMessage.system(AQUA_5)));
    assertThatThrownBy(() -> bundled().complete(onlySystem, ParameterValues.empty()))
        .isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.BAD_REQUEST))
        .hasMessage("replay provider 'local' got a request for 'gpt-4' without a non-blank user"
            + " turn; replay answers the last user turn");
  }

  @Test
  void create_dataNotADirectory_namesTheSetting() {
    Path missing = tmp.resolve("nope");
    ProviderConfig config = ProviderConfig.of("r", Map.of("data", missing.toString()));
    assertThatThrownBy(() -> new ReplayProviderFactory().create(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("provider 'r' setting 'data' = '" + missing + "' is not a directory; give a"
            + " directory holding candidates.json and outcomes.jsonl, or remove the setting to"
            + " use the bundled concise-cot log");
  }

  @Test
  void create_blankData_isRejected() {
    ProviderConfig config = ProviderConfig.of("r", Map.of("data", " "));
    assertThatThrownBy(() -> new ReplayProviderFactory().create(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("provider 'r' setting 'data' is blank;");
  }

  @Test
  void create_malformedLog_namesFileAndLine() throws IOException {
    Path dir = ToyLog.write(tmp.resolve("bad"));
    Files.writeString(dir.resolve("outcomes.jsonl"), Files.readString(
        dir.resolve("outcomes.jsonl")).replace("\"split\":\"test\"", "\"split\":\"dev\""));
    ProviderConfig config = ProviderConfig.of("r", Map.of("data", dir.toString()));
    assertThatThrownBy(() -> new ReplayProviderFactory().create(config))
        .isInstanceOf(OutcomeLogException.class)
        .hasMessage(dir.resolve("outcomes.jsonl") + " line 2: query 'q2': unknown split 'dev';"
            + " expected one of train, valid, test (lower case)");
  }
}
