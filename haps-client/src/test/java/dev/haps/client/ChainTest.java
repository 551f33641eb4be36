package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.Completion;
import dev.haps.spi.TokenUsage;
import dev.haps.testing.LoopbackServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt chain's contract, checked at run time: each breach fails with a message naming the
 * stage and the rule (as OkHttp's {@code RealInterceptorChain} does).
 */
class ChainTest {

  private final LoopbackServer server = LoopbackServer.start();
  private final FixedRouter router = new FixedRouter()
      .rank("gpt-4", 0.6, ParameterValues.builder().put("temperature", 0.2).build())
      .rank("small", 0.4, ParameterValues.empty());
  private final CandidatePlan plan = CandidatePlan.build(router,
      Map.of("local", RoutingClientTest.openai("local", server, Map.of())),
      Map.of("*", new CandidatePlan.Mapping("local", null)),
      new CandidatePlan.Transformers(Map.of(), Map.of()));

  @AfterEach
  void stop() {
    server.close();
  }

  private Call call(Duration deadline) {
    RouteRequest request = RouteRequest.of("q");
    RouteDecision decision = router.route(request);
    return new Call("c1", request, decision, plan, deadline,
        System.nanoTime() + deadline.toNanos(), d -> { });
  }

  private Step first(Call call, int rank) {
    var rc = call.decision().ranking().get(rank);
    return Step.first(rc, plan.target(rc.model()).orElseThrow(), "rank " + (rank + 1));
  }

  private static Completion completion(String text) {
    return new Completion(text, "m", new TokenUsage(1, 1), Double.NaN, Duration.ZERO, Map.of());
  }

  /** A stage with a name and a body. */
  private static Stage stage(String name, Body body) {
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Completion intercept(Chain chain) throws StepFailed {
        return body.run(chain);
      }
    };
  }

  @FunctionalInterface
  private interface Body {
    Completion run(Chain chain) throws StepFailed;
  }

  /** The last stage: records a success. */
  private static final Stage ANSWER = stage("answer", chain -> {
    chain.call().record(chain.step(), Attempt.Outcome.SUCCESS, 0, Duration.ZERO, "");
    return completion("ok");
  });

  @Test
  void proceed_throughStages_eachSeesTheStepAndTheAnswerComesBack() throws StepFailed {
    Call call = call(Duration.ofSeconds(5));
    List<String> seen = new ArrayList<>();
    Stage spy = stage("spy", chain -> {
      seen.add(chain.step().candidate().model() + " " + chain.step().reason());
      return chain.proceed(chain.step().retry("changed reason", Duration.ofMillis(3)));
    });
    Completion c = Chain.head(List.of(spy, new DeadlineStage(), ANSWER), call)
        .proceed(first(call, 0));
    assertThat(c.text()).isEqualTo("ok");
    assertThat(seen).containsExactly("gpt-4 rank 1");
    assertThat(call.attempts()).singleElement().satisfies(a -> {
      assertThat(a.reason()).isEqualTo("changed reason");
      assertThat(a.delay()).isEqualTo(Duration.ofMillis(3));
      assertThat(a.succeeded()).isTrue();
    });
  }

  @Test
  void proceed_fromTheLastStage_namesIt() {
    Call call = call(Duration.ofSeconds(5));
    Stage last = stage("last", chain -> chain.proceed(chain.step()));
    assertThatThrownBy(() -> Chain.head(List.of(last), call).proceed(first(call, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stage 'last' called proceed, but it is the last stage of the chain and must"
            + " answer the step itself");
  }

  @Test
  void proceed_withAnotherCandidate_namesTheStage() {
    Call call = call(Duration.ofSeconds(5));
    Step small = first(call, 1);
    Stage sneaky = stage("sneaky", chain -> chain.proceed(small));
    assertThatThrownBy(() -> Chain.head(List.of(sneaky, ANSWER), call).proceed(first(call, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stage 'sneaky' changed the candidate from gpt-4 to small; only fallback"
            + " chooses candidates");
    assertThat(call.attempts()).isEmpty();
  }

  @Test
  void intercept_failingWithoutAnAttempt_namesTheStage() {
    Call call = call(Duration.ofSeconds(5));
    Stage silent = stage("silent", chain -> {
      throw StepFailed.of(new RuntimeException("boom"));
    });
    assertThatThrownBy(() -> Chain.head(List.of(silent), call).proceed(first(call, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stage 'silent' failed the step on gpt-4 without recording an attempt; the"
            + " stage that ends a step records it");
  }

  @Test
  void intercept_failingAfterASuccess_namesTheStage() {
    Call call = call(Duration.ofSeconds(5));
    Stage undecided = stage("undecided", chain -> {
      chain.proceed(chain.step());
      throw StepFailed.of(new RuntimeException("changed its mind"));
    });
    assertThatThrownBy(() -> Chain.head(List.of(undecided, ANSWER), call)
        .proceed(first(call, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stage 'undecided' failed the step on gpt-4 after its successful attempt");
  }

  @Test
  void intercept_returningNull_namesTheStage() {
    Call call = call(Duration.ofSeconds(5));
    Stage nothing = stage("nothing", chain -> null);
    assertThatThrownBy(() -> Chain.head(List.of(nothing), call).proceed(first(call, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stage 'nothing' returned no completion; a stage returns the completion of"
            + " proceed(step) or throws StepFailed");
  }

  @Test
  void intercept_answeringWithoutASuccessfulAttempt_namesTheStage() {
    Call call = call(Duration.ofSeconds(5));
    Stage unrecorded = stage("unrecorded", chain -> completion("ok"));
    assertThatThrownBy(() -> Chain.head(List.of(unrecorded), call).proceed(first(call, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stage 'unrecorded' returned a completion for gpt-4 without recording a"
            + " successful attempt");
  }

  @Test
  void proceed_afterTheStreamDeliveredOutput_namesTheStage() {
    Call call = call(Duration.ofSeconds(5));
    Stage brokenStream = stage("broken stream", chain -> {
      chain.call().deliver("partial ");
      chain.call().record(chain.step(), Attempt.Outcome.CONNECTION, 0, Duration.ZERO, "cut");
      throw StepFailed.of(new RuntimeException("cut"));
    });
    Stage eager = stage("eager retry", chain -> {
      try {
        return chain.proceed(chain.step());
      } catch (StepFailed f) {
        return chain.proceed(chain.step());
      }
    });
    assertThatThrownBy(() -> Chain.head(List.of(eager, brokenStream), call)
        .proceed(first(call, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stage 'eager retry' proceeded after the stream delivered output; a stream"
            + " that broke after output cannot be retried");
  }

  @Test
  void deadlineStage_afterTheDeadline_failsWithoutAnAttemptAndNeverReachesTheProvider() {
    Call call = call(Duration.ofNanos(1));
    List<String> reached = new ArrayList<>();
    Stage after = stage("after", chain -> {
      reached.add(chain.step().candidate().model());
      return ANSWER.intercept(chain);
    });
    assertThatThrownBy(() -> Chain.head(List.of(new DeadlineStage(), after), call)
        .proceed(first(call, 0)))
        .isInstanceOfSatisfying(StepFailed.class,
            f -> assertThat(f.isDeadlinePassed()).isTrue());
    assertThat(reached).isEmpty();
    assertThat(call.attempts()).isEmpty();
  }

  @Test
  void step_atTheHead_isRefused() {
    Call call = call(Duration.ofSeconds(5));
    assertThatThrownBy(() -> Chain.head(List.of(ANSWER), call).step())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the head of the attempt chain has no step yet");
  }
}
