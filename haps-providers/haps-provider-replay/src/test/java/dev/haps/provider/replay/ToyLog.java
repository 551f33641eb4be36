package dev.haps.provider.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small log with a float, an int and a categorical parameter, written to a directory. */
final class ToyLog {
  private ToyLog() {}

  static final String CANDIDATES = "{\"benchmark\":\"toy\",\"models\":["
      + "{\"id\":\"m\",\"price_per_mtok\":{\"input\":1.0,\"output\":2.0},\"parameters\":["
      + "{\"name\":\"temperature\",\"type\":\"float\",\"min\":0.0,\"max\":2.0,\"default\":1.0},"
      + "{\"name\":\"max_tokens\",\"type\":\"int\",\"min\":1,\"max\":1000,\"default\":100},"
      + "{\"name\":\"style\",\"type\":\"categorical\",\"choices\":[\"short\",\"long\"],"
      + "\"default\":\"short\"}]},"
      + "{\"id\":\"plain\",\"price_per_mtok\":null,\"parameters\":[]}]}";

  static String outcome(double t, long maxTokens, String style, double score, double cost) {
    return "{\"model\":\"m\",\"params\":{\"temperature\":" + t + ",\"max_tokens\":" + maxTokens
        + ",\"style\":\"" + style + "\"},\"score\":" + score + ",\"cost_usd\":" + cost
        + ",\"input_tokens\":10,\"output_tokens\":" + maxTokens + "}";
  }

  static Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("candidates.json"), CANDIDATES);
    StringBuilder q1 = new StringBuilder();
    // q1: a full grid temperature {0, 0.5, 1} x max_tokens {100, 400}, style short; score and
    // cost encode the configuration so a test can see which one answered.
    double[] temps = {0.0, 0.5, 1.0};
    long[] toks = {100, 400};
    for (double t : temps) {
      for (long k : toks) {
        if (q1.length() > 0) {
          q1.append(',');
        }
        q1.append(outcome(t, k, "short", t / 2, k / 1e6));
      }
    }
    q1.append(",{\"model\":\"plain\",\"params\":{},\"score\":1.0,\"cost_usd\":null,"
        + "\"input_tokens\":null,\"output_tokens\":null}");
    String line1 = "{\"id\":\"q1\",\"task\":\"t\",\"split\":\"train\",\"query\":\"first"
        + " question\",\"answer\":null,\"outcomes\":[" + q1 + "]}";
    // q2: sparse: only one configuration of m, with the long style.
    String line2 = "{\"id\":\"q2\",\"task\":\"t\",\"split\":\"test\",\"query\":\"second"
        + " question\",\"answer\":\"x\",\"outcomes\":[" + outcome(0.0, 400, "long", 0.25, 0.5)
        + "]}";
    Files.writeString(dir.resolve("outcomes.jsonl"), line1 + "\n" + line2 + "\n");
    return dir;
  }
}
