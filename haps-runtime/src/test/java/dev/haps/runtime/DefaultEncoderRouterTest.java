package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.spi.EncoderInfo;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.runtime.execution.ExecutionProvider;
import dev.haps.spi.Truncation;
import dev.haps.runtime.internal.OrtSessions;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.haps.testing.TestBundles;

/** The router on the real default encoder (all-MiniLM-L6-v2 int8 from the class path). */
class DefaultEncoderRouterTest {

  static EncoderInfo defaultEncoderInfo() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = HapsRouter.class.getClassLoader()
        .getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
      md.update(in.readAllBytes());
    }
    return new EncoderInfo(OnnxQueryEncoder.DEFAULT_MODEL_ID, 384, "mean", true, 256,
        Truncation.HEAD, HexFormat.of().formatHex(md.digest()));
  }

  @Test
  void build_noEncoderGivenAndAuto_buildsDefaultEncoderOnCpuAndBatchEqualsSingles()
      throws Exception {
    RouterBundle bundle = TestBundles.create().encoder(defaultEncoderInfo()).id("minilm", "1")
        .bundle(RouterBundle::fromBytes);
    assertThat(OrtSessions.explain(ExecutionProvider.auto()).chosen())
        .isEqualTo(ExecutionProvider.cpu());
    List<RouteRequest> reqs = new ArrayList<>();
    String[] texts = {"Prove that the square root of 2 is irrational.",
        "Écris un poème sur la mer.", "把这句话翻译成英文：今天天气很好。",
        "def f(x): return x ** 2  # what does this do?", "🙂🙂 emoji only? 🙃",
        "word ".repeat(600), "What is 17 * 23?", "Summarise the causes of World War I."};
    for (int i = 0; i < texts.length; i++) {
      reqs.add(RouteRequest.of(texts[i], i / (double) texts.length));
    }
    try (HapsRouter router = HapsRouter.builder().bundle(bundle)
        .executionProvider(ExecutionProvider.auto()).cache(CacheSettings.disabled()).build()) {
      OnnxQueryEncoder enc = (OnnxQueryEncoder) router.encoder();
      assertThat(enc.executionProvider()).isEqualTo(ExecutionProvider.cpu());
      assertThat(enc.info()).isEqualTo(bundle.encoder());
      List<RouteDecision> batch = router.route(reqs);
      for (int i = 0; i < reqs.size(); i++) {
        RouteDecision single = router.route(reqs.get(i));
        assertThat(HapsRouterTest.fingerprint(batch.get(i))).as("query %d", i)
            .isEqualTo(HapsRouterTest.fingerprint(single));
        HapsRouterTest.assertInsideSpaces(bundle, single);
        assertThat(single.timings().encodeNanos()).isPositive();
      }
    }
  }
}
