package dev.haps.testing;

import dev.haps.testing.LoopbackServer.Recorded;
import dev.haps.testing.LoopbackServer.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** The replies of {@link Fault}s: drawn by a {@link FaultPlan}, served by {@link LoopbackServer}. */
final class FaultReplies {

  private FaultReplies() {}

  /** Draws a fault by weight. */
  static Fault draw(FaultPlan p, Random rnd) {
    int x = rnd.nextInt(p.totalWeight());
    for (Map.Entry<Fault, Integer> e : p.weights().entrySet()) {
      x -= e.getValue();
      if (x < 0) {
        return e.getKey();
      }
    }
    return Fault.OK;
  }

  private static int nextInt(Random rnd, int bound) {
    return rnd.nextInt(bound); // java.util.Random is thread-safe
  }

  /**
   * The reply of a fault, built from the healthy one where the fault distorts it.
   *
   * @param rnd the random source of a fault's details (Retry-After, which garbage)
   * @param healthy the answer without a fault, asked for only when the fault needs it
   */
  static Reply of(Fault f, Recorded rec, FaultPlan p, Random rnd, Supplier<Reply> healthy) {
    String key = p.echoedKey();
    return switch (f) {
      case OK -> healthy.get();
      case RATE_LIMITED -> Reply.json(429,
              "{\"error\":{\"message\":\"rate limited\",\"type\":\"requests\"}}")
          .header("Retry-After", nextInt(rnd, 3) == 0 ? "Wed, 21 Oct 2015 07:28:00 GMT" : "0");
      case RATE_LIMITED_LONG -> Reply.json(429, "{\"error\":{\"message\":\"quota\"}}")
          .header("Retry-After", "3600");
      case SERVER_500 -> Reply.json(500, "{\"error\":{\"message\":\"internal error\"}}");
      case SERVER_503 -> {
        Reply r = Reply.json(503, "<html>Service Unavailable</html>");
        yield nextInt(rnd, 2) == 0 ? r.header("Retry-After", "0") : r;
      }
      case SLOW_HEADERS -> Reply.drop().after(p.stall());
      case SLOW_BODY -> {
        Reply h = healthy.get();
        yield h.body.length == 0 ? Reply.drop().after(p.stall())
            : new Reply(Reply.Kind.STALL_THEN_DROP, h.status, h.body, p.stall(), Duration.ZERO)
                .headers(h);
      }
      case TRUNCATED_STREAM -> {
        Reply h = healthy.get();
        yield rec.stream() && h.kind == Reply.Kind.STREAM ? h.cutStream() : h.truncated();
      }
      case TRUNCATED_BODY -> healthy.get().truncated();
      case GARBAGE_JSON -> {
        if (rec.stream()) {
          yield Reply.events("data: {not json\n\n");
        }
        String[] garbage = {"{\"choices\":[{\"mess", "<html>oops</html>", "[]",
            "{\"choices\":[]}", "null", "\u0000\u0001\u00ff", "{\"choices\":[{\"message\":7}]}"};
        yield Reply.json(200, garbage[nextInt(rnd, garbage.length)]);
      }
      case DROP -> Reply.drop();
      case RESET -> Reply.reset();
      case AUTH_ECHOING_KEY -> Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key"
          + " provided: " + key + ". You can find your API key at https://example.invalid\"}}");
      case BAD_REQUEST_ECHOING_KEY -> Reply.json(400, "bad request from Bearer " + key
          + " (raw text, not JSON)");
      case PLAIN_KEY_BODY -> rec.stream() ? Reply.events("data: " + key + "\n\n")
          : Reply.json(200, key);
    };
  }
}
