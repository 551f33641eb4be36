package dev.haps.springai.autoconfigure;

import dev.haps.api.Candidate;
import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import dev.haps.runtime.HapsRouter;
import dev.haps.springai.CandidateFeature;
import dev.haps.springai.HapsChatModel;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.ai.chat.model.ChatModel;

/**
 * Auto-configures HAPS routing for Spring AI: a {@link HapsRouter} (the {@code haps.bundle} or
 * the bundled default) and a {@code @Primary} {@link HapsChatModel} over the {@code ChatModel}
 * beans named in {@code haps.candidates}, so that {@code ChatClient.Builder} and every
 * {@code ChatModel} injection point get the routed model while the application's own beans stay
 * injectable by name. Runs before Spring AI's ChatClient auto-configuration; backs off when the
 * application defines its own {@link HapsChatModel} or {@link Router}, or sets
 * {@code haps.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(beforeName = {
    "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration"},
    afterName = {
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass({ChatModel.class, HapsChatModel.class})
@ConditionalOnProperty(prefix = "haps", name = "enabled", havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(HapsProperties.class)
public class HapsAutoConfiguration {

  /** Creates the auto-configuration. */
  public HapsAutoConfiguration() {}

  /**
   * The router: {@code haps.bundle}, or the bundle shipped with the SDK.
   *
   * @param properties the {@code haps.*} properties
   * @return the router, closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Router.class)
  public HapsRouter hapsRouter(HapsProperties properties) {
    return properties.getBundle() == null ? HapsRouter.withDefaults()
        : HapsRouter.builder().bundle(properties.getBundle()).build();
  }

  /**
   * The routed model, {@code @Primary} among the {@code ChatModel} beans.
   *
   * @param properties the {@code haps.*} properties
   * @param router the router
   * @param beans where the candidates' {@code ChatModel} beans are looked up by name
   * @param observations the registry for {@code haps.chat} and {@code haps.routing}, if any
   * @return the model, closed with the context
   * @throws ConfigurationException when a property names no bean, no bundle candidate, or asks
   *     for exploration
   */
  @Bean(destroyMethod = "close")
  @Primary
  @ConditionalOnMissingBean(HapsChatModel.class)
  public HapsChatModel hapsChatModel(HapsProperties properties, Router router,
      ListableBeanFactory beans, ObjectProvider<ObservationRegistry> observations) {
    if (properties.isExploration()) {
      throw new ConfigurationException("haps.exploration=true, but exploration (trying other"
          + " candidates now and then to learn from feedback) is not available through the"
          + " Spring AI adapter yet: its feedback lines carry no propensities, which off-policy"
          + " evaluation needs; remove the property and collect outcomes with haps.feedback-log,"
          + " or explore with RoutingClient (docs/learning-loop.md)");
    }
    List<String> chatBeans = new ArrayList<>(Arrays.asList(
        beans.getBeanNamesForType(ChatModel.class, false, false)));
    chatBeans.removeAll(Arrays.asList(beans.getBeanNamesForType(HapsChatModel.class, false,
        false)));
    List<String> bundleCandidates = router.candidates().stream().map(Candidate::model).toList();
    if (properties.getCandidates().isEmpty()) {
      throw new ConfigurationException("HAPS has no candidate: map each bundle candidate you"
          + " serve to a ChatModel bean, e.g. haps.candidates." + bundleCandidates.get(0) + "="
          + (chatBeans.isEmpty() ? "myChatModel" : chatBeans.get(0)) + "; bundle " + router.bundle()
          + " candidates: " + bundleCandidates + "; ChatModel beans: " + chatBeans);
    }
    for (String id : properties.getFeatures().keySet()) {
      if (!properties.getCandidates().containsKey(id)) {
        throw new ConfigurationException("haps.features." + id + " names no mapped candidate;"
            + " mapped: " + properties.getCandidates().keySet());
      }
    }
    HapsChatModel.Builder b = HapsChatModel.builder().router(router)
        .observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP));
    for (Map.Entry<String, String> c : properties.getCandidates().entrySet()) {
      String bean = c.getValue();
      if (!chatBeans.contains(bean)) {
        throw new ConfigurationException("haps.candidates." + c.getKey() + "=" + bean + " names"
            + " no ChatModel bean; ChatModel beans: " + chatBeans);
      }
      Set<CandidateFeature> features = properties.getFeatures().get(c.getKey());
      b.candidate(c.getKey(), beans.getBean(bean, ChatModel.class),
          features == null ? CandidateFeature.all() : features);
    }
    if (properties.getCostWeight() != null) {
      b.costWeight(properties.getCostWeight());
    }
    if (properties.getMaxCandidates() != null) {
      b.maxCandidates(properties.getMaxCandidates());
    }
    if (properties.getRoutingText() != null) {
      b.routingText(properties.getRoutingText());
    }
    if (properties.getFeedbackLog() != null) {
      b.feedbackSink(properties.getFeedbackLog());
    }
    if (properties.getFeedbackTask() != null) {
      b.feedbackTask(properties.getFeedbackTask());
    }
    return b.build();
  }
}
