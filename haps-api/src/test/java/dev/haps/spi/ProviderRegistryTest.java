package dev.haps.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

  /** Registered in this module's test resources, META-INF/services. */
  public static final class FixtureFactory implements LlmProviderFactory {
    @Override
    public String type() {
      return "fixture";
    }

    @Override
    public LlmProvider create(ProviderConfig config) {
      return new LlmProvider() {
        @Override
        public String id() {
          return config.id();
        }

        @Override
        public List<ModelInfo> models() {
          return List.of();
        }

        @Override
        public ParameterSpace parameterSpace(String model) {
          return ParameterSpace.empty();
        }

        @Override
        public Completion complete(ChatRequest request, ParameterValues parameters) {
          throw new UnsupportedOperationException("not called in this test");
        }
      };
    }
  }

  static final class OtherFixtureFactory implements LlmProviderFactory {
    @Override
    public String type() {
      return "fixture";
    }

    @Override
    public LlmProvider create(ProviderConfig config) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void load_findsFactoryRegisteredOnlyInMetaInfServices() {
    ProviderRegistry r = ProviderRegistry.load();
    assertThat(r.types()).contains("fixture");
    LlmProvider p = r.create("fixture", ProviderConfig.of("inst-1", Map.of()));
    assertThat(p.id()).isEqualTo("inst-1");
    assertThat(p.supportsStreaming()).isFalse();
  }

  @Test
  void of_duplicateType_namesBothClasses() {
    assertThatThrownBy(() -> ProviderRegistry.of(List.of(new FixtureFactory(), new OtherFixtureFactory())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("two provider factories claim type 'fixture': "
            + FixtureFactory.class.getName() + " and " + OtherFixtureFactory.class.getName()
            + "; remove one of the jars from the class path");
  }

  @Test
  void factory_unknownType_listsInstalled() {
    ProviderRegistry r = ProviderRegistry.of(List.of(new FixtureFactory()));
    assertThatThrownBy(() -> r.factory("openai"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("no provider of type 'openai' is installed; installed: [fixture]. Add the"
            + " haps-provider-openai jar (or the plugin that provides it) to the class path");
    assertThat(r.has("fixture")).isTrue();
  }

  @Test
  void stream_byDefault_isUnsupportedWithClearMessage() {
    LlmProvider p = new FixtureFactory().create(ProviderConfig.of("x", Map.of()));
    assertThatThrownBy(() -> p.stream(ChatRequest.of("m", List.of(dev.haps.api.ChatMessage.user("hi"))),
            ParameterValues.empty(), s -> { }))
        .hasMessage("provider 'x' does not support streaming; call complete() instead");
  }
}
