package dev.haps.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.spi.Truncation;
import dev.haps.train.model.PolicyObjective;
import dev.haps.train.model.ValueObjective;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one options record: defaults, checks, the head-to-objective mapping and the manifest. */
class TrainOptionsTest {

  @Test
  void hyperParameters_ofTheDefaults_areWhatTheShippedBundleRecords() throws Exception {
    // The default bundle was trained with the defaults, so its manifest is their serialisation.
    JsonNode shipped;
    try (InputStream in = TrainOptionsTest.class
        .getResourceAsStream("/dev/haps/bundles/default/manifest.json")) {
      assertThat(in).as("the default bundle on the class path").isNotNull();
      shipped = new ObjectMapper().readTree(in).path("training").path("hyperParameters");
    }
    JsonNode ours = new ObjectMapper().valueToTree(TrainOptions.defaults().hyperParameters());
    assertThat(new ObjectMapper().writeValueAsString(ours))
        .isEqualTo(new ObjectMapper().writeValueAsString(shipped));
  }

  @Test
  void hyperParameters_listEveryComponentButSeedAndThreads_inDeclarationOrder() {
    List<String> expected = new ArrayList<>();
    for (RecordComponent c : TrainOptions.class.getRecordComponents()) {
      expected.add(c.getName());
    }
    expected.removeAll(List.of("seed", "threads"));
    assertThat(TrainOptions.builder().fineTune(FineTuneOptions.layers(1)).build()
        .hyperParameters().keySet()).containsExactlyElementsOf(expected);
    // Off, fine-tuning is not recorded, so that frozen-encoder manifests stay as they were.
    expected.remove("fineTune");
    assertThat(TrainOptions.defaults().hyperParameters().keySet())
        .containsExactlyElementsOf(expected);
    assertThat(TrainOptions.builder().head(HeadKind.POLICY).truncation(Truncation.HEAD_TAIL)
        .build().hyperParameters())
        .containsEntry("head", "policy").containsEntry("truncation", "head_tail");
  }

  @Test
  void warmupOnly_meansNoPolicyGradientSteps() {
    TrainOptions o = TrainOptions.builder().warmupOnly(true).rlSteps(50).build();
    assertThat(o.rlSteps()).isZero();
    assertThat(o.hyperParameters()).containsEntry("rlSteps", 0);
  }

  @Test
  void objective_isTheHeadKindsObjectiveWithTheOptionsWeights() {
    TrainOptions value = TrainOptions.builder().temperature(0.25).build();
    assertThat(value.objective()).isInstanceOfSatisfying(ValueObjective.class,
        v -> assertThat(v.temperature()).isEqualTo(0.25));
    assertThat(value.objective().name()).isEqualTo("value");
    assertThat(value.objective().predictsCost()).isTrue();
    TrainOptions policy = TrainOptions.builder().head(HeadKind.POLICY).build();
    assertThat(policy.objective()).isInstanceOf(PolicyObjective.class);
    assertThat(policy.objective().name()).isEqualTo("policy");
    assertThat(policy.objective().predictsCost()).isFalse();
  }

  @Test
  void build_rejectsValuesOutOfRange_namingOptionValueAndRange() {
    assertThatThrownBy(() -> TrainOptions.builder().epochs(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epochs must be at least 0, got -1");
    assertThatThrownBy(() -> TrainOptions.builder().hiddenSizes(64, 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hidden size must be at least 1, got 0");
    assertThatThrownBy(() -> TrainOptions.builder().learningRate(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("learningRate must be finite and positive, got NaN");
    assertThatThrownBy(() -> TrainOptions.builder().zeroCostWeightShare(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zeroCostWeightShare must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> TrainOptions.builder().maxTokens(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTokens must be at least 4, got 2");
  }

  @Test
  void toBuilder_keepsEveryOption() {
    TrainOptions o = TrainOptions.builder().head(HeadKind.POLICY).hiddenSizes(32, 16)
        .ensemble(3).learningRate(5e-4).seed(9).threads(1).build();
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThat(o.toBuilder().seed(10).build().seed()).isEqualTo(10);
  }

  @Test
  void fineTune_isRecordedWhenOn_andNeedsOneMember() {
    TrainOptions on = TrainOptions.builder().ensemble(1)
        .fineTune(FineTuneOptions.layers(2).withLearningRates(1e-5, 1e-4)).build();
    Object recorded = on.hyperParameters().get("fineTune");
    assertThat(recorded).isInstanceOf(java.util.Map.class);
    java.util.Map<?, ?> m = (java.util.Map<?, ?>) recorded;
    assertThat(m.get("layers")).isEqualTo(2);
    assertThat(m.get("learningRate")).isEqualTo(1e-5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainOptions.builder().ensemble(3)
        .fineTune(FineTuneOptions.layers(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ensemble must be 1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FineTuneOptions.layers(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 64]");
  }
}
