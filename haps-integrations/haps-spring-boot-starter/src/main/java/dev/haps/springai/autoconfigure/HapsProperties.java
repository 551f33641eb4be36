package dev.haps.springai.autoconfigure;

import dev.haps.api.RoutingText;
import dev.haps.springai.CandidateFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code haps.*} properties of the HAPS starter.
 *
 * <pre>
 * haps.candidates.gpt-35-turbo=fastModel      # bundle candidate id = ChatModel bean name
 * haps.candidates.gpt-4=smartModel
 * haps.features.gpt-35-turbo=tools            # optional; default: every feature
 * haps.cost-weight=0.3                        # 0 = quality only, 1 = cost first
 * haps.bundle=/opt/app/router-bundle          # optional; default: the bundled router
 * haps.feedback-log=/var/lib/app/outcomes.jsonl
 * </pre>
 *
 * @since 0.1.0
 */
@ConfigurationProperties("haps")
public class HapsProperties {

  /** Whether the routed model is configured at all. */
  private boolean enabled = true;

  /** The router bundle (a directory or zip); unset: the bundle shipped with the SDK. */
  private Path bundle;

  /** The cost weight of prompts that carry none, in [0, 1]; unset: 0.5. */
  private Double costWeight;

  /** Bundle candidate id to the name of the ChatModel bean that serves it. */
  private Map<String, String> candidates = new LinkedHashMap<>();

  /** Bundle candidate id to what its model supports; a candidate not listed supports all. */
  private Map<String, Set<CandidateFeature>> features = new LinkedHashMap<>();

  /** How many candidates a call tries at most (first choice and fallbacks); unset: 3. */
  private Integer maxCandidates;

  /** Which part of the conversation routing reads; unset: the last user turn. */
  private RoutingText routingText;

  /**
   * Exploration (trying other candidates now and then to learn from feedback). Not available
   * through this adapter yet (its feedback lines carry no propensities): {@code true} fails the
   * start-up saying so; {@code RoutingClient} explores (docs/learning-loop.md).
   */
  private boolean exploration;

  /** The outcome log reported feedback is appended to; unset: feedback is refused. */
  private Path feedbackLog;

  /** The task name written on each feedback line; unset: {@code feedback}. */
  private String feedbackTask;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Path getBundle() {
    return bundle;
  }

  public void setBundle(Path bundle) {
    this.bundle = bundle;
  }

  public Double getCostWeight() {
    return costWeight;
  }

  public void setCostWeight(Double costWeight) {
    this.costWeight = costWeight;
  }

  public Map<String, String> getCandidates() {
    return candidates;
  }

  public void setCandidates(Map<String, String> candidates) {
    this.candidates = candidates;
  }

  public Map<String, Set<CandidateFeature>> getFeatures() {
    return features;
  }

  public void setFeatures(Map<String, Set<CandidateFeature>> features) {
    this.features = features;
  }

  public Integer getMaxCandidates() {
    return maxCandidates;
  }

  public void setMaxCandidates(Integer maxCandidates) {
    this.maxCandidates = maxCandidates;
  }

  public RoutingText getRoutingText() {
    return routingText;
  }

  public void setRoutingText(RoutingText routingText) {
    this.routingText = routingText;
  }

  public boolean isExploration() {
    return exploration;
  }

  public void setExploration(boolean exploration) {
    this.exploration = exploration;
  }

  public Path getFeedbackLog() {
    return feedbackLog;
  }

  public void setFeedbackLog(Path feedbackLog) {
    this.feedbackLog = feedbackLog;
  }

  public String getFeedbackTask() {
    return feedbackTask;
  }

  public void setFeedbackTask(String feedbackTask) {
    this.feedbackTask = feedbackTask;
  }
}
