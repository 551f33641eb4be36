package dev.haps.serve;

import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.MicroBatching;
import dev.haps.runtime.RouterBundle;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code haps serve} as its own process for the SIGTERM test: a fake upstream, the test bundle,
 * a shutdown hook that drains (what the CLI installs), and on exit one line with the request
 * counts: {@code COUNTS accepted=A answered=B unanswered=C}.
 *
 * <p>Arguments: the folder to write {@code port} into, the extra JSON of the server block, and
 * the upstream's delay per answer in milliseconds.
 */
final class ServeMain {

  private ServeMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String extra = args.length > 1 ? args[1] : "";
    Duration upstreamDelay = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 0);
    LoopbackServer upstream = FakeOpenAi.start();
    upstream.otherwise(r -> FakeOpenAi.answer(r).after(upstreamDelay));
    HapsRouter router = HapsRouter.builder()
        .bundle(TestBundles.create().bundle(RouterBundle::fromBytes))
        .encoder(new HashingEncoder())
        .microBatching(MicroBatching.of(16, Duration.ZERO))
        .build();
    HapsServer server = HapsServer.start(ServeConfig.parse(LoadAndAbuseTest.withLimitedKey(
        ServeFixture.config(upstream.url("/v1"), extra)), dir, Map.<String, String>of()::get),
        router);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      ServeMetrics m = server.metrics();
      long chat = m.registry.find("haps.serve.requests").tag("endpoint", "chat").timers()
          .stream().mapToLong(t -> t.count()).sum();
      long chatOk = m.registry.find("haps.serve.requests").tag("endpoint", "chat")
          .tag("status", "200").timers().stream().mapToLong(t -> t.count()).sum();
      System.out.println("COUNTS accepted=" + m.accepted.sum() + " answered="
          + m.answered.sum() + " unanswered=" + m.failed.sum() + " chat=" + chat + " chat200="
          + chatOk);
      System.out.flush();
      router.close();
      upstream.close();
    }));
    Files.writeString(dir.resolve("port.tmp"), Integer.toString(server.port()));
    Files.move(dir.resolve("port.tmp"), dir.resolve("port"));
    server.awaitStop();
  }
}
