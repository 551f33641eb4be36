package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.RouteRequest;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.data.OutcomeLog;
import dev.haps.data.Split;
import dev.haps.provider.replay.ReplayProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.4: what docs/routing-client.md promises, run as written: calls through a
 * {@code RoutingClient} with a feedback sink, one {@code feedback(callId, score)} per call, then
 * {@code haps train --data <the sink's folder>}, with nothing added by hand.
 */
class FeedbackRetrainTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void feedbackFolder_trainsAsItIs(@TempDir Path tmp) throws Exception {
    Path data = SharedData.benchmark("concise-cot").orElseThrow();
    List<String> queries = new ArrayList<>();
    for (String l : Files.readAllLines(data.resolve("outcomes.jsonl"))) {
      JsonNode n = JSON.readTree(l);
      if (n.path("split").asText().equals("test") && queries.size() < 60) {
        queries.add(n.path("query").asText());
      }
    }
    Path sink = tmp.resolve("feedback").resolve("outcomes.jsonl");
    try (HapsRouter router = HapsRouter.withDefaults();
        RoutingClient client = RoutingClient.builder().router(router)
            .provider("replay", ReplayProvider.bundled("replay"))
            .candidate("*", "replay")
            .feedbackSink(sink)
            .build()) {
      // Callers use several trade-offs, so that every candidate answers some calls (a candidate
      // no call used has nothing to learn from; docs/routing-client.md says what to do then).
      for (int i = 0; i < queries.size(); i++) {
        CallResult r = client.call(RouteRequest.of(queries.get(i), i % 2 == 0 ? 0.0 : 1.0));
        client.feedback(r.callId(), Double.parseDouble(r.completion().attributes().get("score")));
      }
    }

    OutcomeLog log = OutcomeLog.load(sink.getParent());
    assertThat(log.records()).hasSize(60);
    assertThat(log.records(Split.VALID)).isNotEmpty();
    assertThat(log.records(Split.TRAIN).size()).isGreaterThan(log.records(Split.VALID).size());
    assertThat(log.candidates().ids()).containsExactlyInAnyOrder("gpt-35-turbo", "gpt-4");

    CliRun run = CliRun.of("train", "--data", sink.getParent().toString(), "--out",
        tmp.resolve("retrained").toString(), "--quiet", "--hidden", "16", "--epochs", "2",
        "--rl-steps", "0", "--cache-dir", tmp.resolve("cache").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("queries +train " + log.records(Split.TRAIN).size()
        + ", valid " + log.records(Split.VALID).size() + " used");
    CliRun route = CliRun.of("route", "--bundle", tmp.resolve("retrained").toString(),
        "What is 17 * 23?");
    assertThat(route.exitCode()).as(route.err()).isZero();
  }
}
