package dev.haps.langchain4j;

import dev.haps.api.Router;
import dev.haps.api.RoutingText;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The options {@link HapsChatModel.Builder} and {@link HapsStreamingChatModel.Builder} share,
 * written once: each public method here is documented as a method of those builders (and
 * returns that builder). Each option can be set once. Not thread-safe.
 *
 * @param <M> the model type ({@code ChatModel} or {@code StreamingChatModel})
 * @param <B> the concrete builder, returned by each option
 */
abstract class RoutedModelBuilder<M, B extends RoutedModelBuilder<M, B>> {
  final CandidateRouter.Settings<M> settings = new CandidateRouter.Settings<>();
  final List<ChatModelListener> listeners = new ArrayList<>();

  RoutedModelBuilder() {}

  /** This builder, as its concrete type. */
  abstract B self();

  /** The model's own default parameters (the two model types share no interface for them). */
  abstract ChatRequestParameters defaultsOf(M model);

  /** The model's provider, for listeners. */
  abstract ModelProvider providerOf(M model);

  /**
   * Routes with this router (not closed by the model). Without a router or a bundle, the
   * SDK's default bundle is loaded.
   *
   * @param router the router
   * @return this builder
   * @throws IllegalStateException if a router or bundle is already set
   */
  public B router(Router router) {
    settings.router(router);
    return self();
  }

  /**
   * Routes with the bundle at a path (a directory or zip), loaded on the default encoder and
   * closed with the model.
   *
   * @param bundle the bundle
   * @return this builder
   * @throws IllegalStateException if a router or bundle is already set
   */
  public B bundle(Path bundle) {
    settings.bundle(bundle);
    return self();
  }

  /**
   * Maps a bundle candidate to one of your models, declared with every
   * {@link CandidateFeature}.
   *
   * @param candidateId the candidate's id in the bundle
   * @param model your model
   * @return this builder
   * @throws IllegalStateException if the candidate already has a model
   */
  public B candidate(String candidateId, M model) {
    return candidate(candidateId, model, CandidateFeature.all());
  }

  /**
   * Maps a bundle candidate to one of your models, declared with what it supports: requests
   * that need tools or JSON are never sent to it unless declared here.
   *
   * @param candidateId the candidate's id in the bundle
   * @param model your model
   * @param features what it supports; empty for plain chat only
   * @return this builder
   * @throws IllegalStateException if the candidate already has a model
   */
  public B candidate(String candidateId, M model, Set<CandidateFeature> features) {
    Objects.requireNonNull(model, "model");
    settings.candidate(candidateId, model, features, defaultsOf(model), providerOf(model));
    return self();
  }

  /**
   * Sets the cost weight of requests that carry none (default 0.5).
   *
   * @param costWeight in [0, 1]: 0 = quality only, 1 = cost first
   * @return this builder
   * @throws IllegalArgumentException if outside [0, 1]
   */
  public B costWeight(double costWeight) {
    settings.costWeight(costWeight);
    return self();
  }

  /**
   * Sets how many candidates a call tries at most: the first choice and its fallbacks
   * (default 3).
   *
   * @param n at least 1; 1 turns fallback off
   * @return this builder
   */
  public B maxCandidates(int n) {
    settings.maxCandidates(n);
    return self();
  }

  /**
   * Sets which part of the conversation routing reads (default: the last user turn).
   *
   * @param routingText the policy
   * @return this builder
   */
  public B routingText(RoutingText routingText) {
    settings.routingText(routingText);
    return self();
  }

  /**
   * Registers how to apply a routed parameter; replaces the built-in applier of that name.
   *
   * @param name the parameter's name in the bundle
   * @param applier the applier
   * @return this builder
   * @throws IllegalStateException if the parameter already has an applier here
   */
  public B parameter(String name, ParameterApplier applier) {
    settings.parameter(name, applier);
    return self();
  }

  /**
   * Adds listeners that see every real call (the chosen model's request).
   *
   * @param listeners the listeners
   * @return this builder
   */
  public B listeners(List<ChatModelListener> listeners) {
    for (ChatModelListener l : listeners) {
      this.listeners.add(Objects.requireNonNull(l, "listener"));
    }
    return self();
  }

  /**
   * Appends reported feedback to this outcome log, for retraining (see
   * {@link HapsChatModel#feedback}). Default: no feedback.
   *
   * @param outcomesJsonl the {@code outcomes.jsonl} file; folders are created
   * @return this builder
   */
  public B feedbackSink(Path outcomesJsonl) {
    settings.feedbackSink(outcomesJsonl);
    return self();
  }

  /**
   * Sets the {@code task} written on each feedback line (default {@code "feedback"}).
   *
   * @param task the task name
   * @return this builder
   */
  public B feedbackTask(String task) {
    settings.feedbackTask(task);
    return self();
  }
}
