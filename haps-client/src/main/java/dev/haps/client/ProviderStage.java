package dev.haps.client;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage: applies the step's transformers, calls the provider (streaming when the call
 * streams) within the step's time limit, and records the attempt however it ends. A provider
 * that cannot stream delivers its whole answer as one delta.
 */
final class ProviderStage implements Stage {

  /** The client's logger: one name covers every line a call logs. */
  private static final Logger LOG = LoggerFactory.getLogger(RoutingClient.class);

  @Override
  public String name() {
    return "provider call";
  }

  @Override
  public Completion intercept(Chain chain) throws StepFailed {
    Call call = chain.call();
    Step step = chain.step();
    CandidatePlan.Target target = step.target();
    long t0 = System.nanoTime();
    try {
      CandidatePlan.Prepared prepared = call.plan().prepare(target,
          new ChatRequest(target.backendModel(), call.request().messages(), step.timeout()),
          step.candidate().parameters());
      Completion c = invoke(call, target.provider(), prepared);
      call.record(step, Attempt.Outcome.SUCCESS, 0, since(t0), "");
      return c;
    } catch (ProviderException e) {
      call.failed(e);
      call.record(step, Attempt.Outcome.of(e.kind()), e.status(), since(t0), e.getMessage());
      throw StepFailed.of(e);
    } catch (InvalidParameterException | ConfigurationException e) {
      call.failed(e);
      Attempt.Outcome outcome = e instanceof InvalidParameterException
          ? Attempt.Outcome.INVALID_PARAMETER : Attempt.Outcome.CONFIGURATION;
      call.record(step, outcome, 0, since(t0), e.getMessage());
      throw StepFailed.of(e);
    } catch (RuntimeException e) {
      call.failed(e);
      LOG.warn("call {}: provider '{}' failed unexpectedly on candidate {}", call.id(),
          target.providerId(), step.candidate().model(), e);
      call.record(step, Attempt.Outcome.PROVIDER_ERROR, 0, since(t0),
          e.getClass().getName() + ": " + e.getMessage());
      throw StepFailed.of(e);
    }
  }

  private static Completion invoke(Call call, LlmProvider provider,
      CandidatePlan.Prepared p) {
    if (!call.streaming()) {
      return provider.complete(p.request(), p.providerParameters());
    }
    if (provider.supportsStreaming()) {
      return provider.stream(p.request(), p.providerParameters(), call::deliver);
    }
    Completion c = provider.complete(p.request(), p.providerParameters());
    if (!c.text().isEmpty()) {
      call.deliver(c.text());
    }
    return c;
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
