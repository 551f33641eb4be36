package dev.haps.api.params;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ties {@link ParameterSpec.Kind} to the sealed family: code everywhere handles a spec with a
 * switch expression over its kind (no default), so a new kind must be both a permitted record and
 * an enum constant, one to one, for the compiler to point at every site that must handle it.
 */
class ParameterSpecKindTest {

  /** One spec of each permitted type; a new type must be added here to pass. */
  private static final List<ParameterSpec> ONE_OF_EACH = List.of(
      FloatSpec.of("temperature", 0.0, 2.0, 1.0),
      IntSpec.of("max_tokens", 1, 4096, 512),
      CategoricalSpec.of("prompt_style", "baseline", "baseline", "concise"),
      new TensorSpec("lora_a", List.of(2, 3)));

  @Test
  void kinds_matchPermittedTypesOneToOne() {
    Set<Class<?>> permitted = Set.of(ParameterSpec.class.getPermittedSubclasses());
    Set<Class<?>> sampled = new HashSet<>();
    Map<ParameterSpec.Kind, Class<?>> byKind = new EnumMap<>(ParameterSpec.Kind.class);
    for (ParameterSpec s : ONE_OF_EACH) {
      sampled.add(s.getClass());
      assertThat(byKind.put(s.kind(), s.getClass()))
          .as("kind %s reported by two types", s.kind())
          .isNull();
    }

    assertThat(sampled).isEqualTo(permitted);
    assertThat(byKind.keySet()).containsExactlyInAnyOrder(ParameterSpec.Kind.values());
  }
}
