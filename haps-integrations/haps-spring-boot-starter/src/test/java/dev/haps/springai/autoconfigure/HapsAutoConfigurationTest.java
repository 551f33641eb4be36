package dev.haps.springai.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.Router;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.springai.CandidateFeature;
import dev.haps.springai.HapsChatModel;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.TestBundles;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's wiring and its start-up errors, on the test bundle. */
class HapsAutoConfigurationTest {

  @Configuration
  static class Models {
    @Bean(destroyMethod = "close")
    Router router() {
      return HapsRouter.builder().bundle(TestBundles.create().bundle(RouterBundle::fromBytes))
          .encoder(new HashingEncoder()).build();
    }

    @Bean
    ChatModel big() {
      return prompt -> new ChatResponse(java.util.List.of());
    }

    @Bean
    ChatModel small() {
      return prompt -> new ChatResponse(java.util.List.of());
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HapsAutoConfiguration.class))
      .withUserConfiguration(Models.class);

  @Test
  void mapsTheNamedBeans_andIsThePrimaryChatModel() {
    runner.withPropertyValues("haps.candidates.gpt-4=big", "haps.candidates.mixtral-8x7b=small",
            "haps.features.mixtral-8x7b=", "haps.cost-weight=0.25")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          HapsChatModel m = ctx.getBean(HapsChatModel.class);
          assertThat(ctx.getBean(ChatModel.class)).isSameAs(m);
          assertThat(m.candidates()).containsExactly("gpt-4", "mixtral-8x7b");
          assertThat(m.getDefaultOptions()).hasFieldOrPropertyWithValue("costWeight", 0.25);
          assertThat(ctx.getBean("big")).isNotSameAs(m);
        });
  }

  @Test
  void withoutCandidates_failsListingTheBeansAndTheBundlesCandidates() {
    runner.run(ctx -> assertThat(ctx).getFailure().rootCause()
        .hasMessageContaining("haps.candidates.gpt-4=")
        .hasMessageContaining("[gpt-4, mixtral-8x7b, claude-instant]")
        .hasMessageContaining("ChatModel beans: [big, small]"));
  }

  @Test
  void anUnknownBean_orAModelTheBundleNeverSaw_failsTheStart() {
    runner.withPropertyValues("haps.candidates.gpt-4=huge").run(ctx ->
        assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("haps.candidates.gpt-4=huge names no ChatModel bean"));
    runner.withPropertyValues("haps.candidates.llama-3=big").run(ctx ->
        assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("[llama-3] is not a candidate of the router bundle"));
  }

  @Test
  void exploration_isRefusedUntilTheAdapterLogsPropensities() {
    runner.withPropertyValues("haps.candidates.gpt-4=big", "haps.exploration=true").run(ctx ->
        assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("exploration")
            .hasMessageContaining("not available through the Spring AI adapter yet"));
  }

  @Test
  void backsOffWhenDisabled() {
    runner.withPropertyValues("haps.enabled=false", "haps.candidates.gpt-4=big").run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).doesNotHaveBean(HapsChatModel.class);
    });
  }

  @Test
  void featuresBindByName() {
    runner.withPropertyValues("haps.candidates.gpt-4=big", "haps.features.gpt-4=tools,json-schema")
        .run(ctx -> assertThat(ctx.getBean(HapsProperties.class).getFeatures().get("gpt-4"))
            .containsExactlyInAnyOrder(CandidateFeature.TOOLS, CandidateFeature.JSON_SCHEMA));
  }
}
