package dev.haps.runtime.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.Candidate;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteRequest;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.api.params.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecoderPropertyTest {

  private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, -1e30f, 0f, -0f,
      Float.MIN_VALUE, 88.7f, -88.7f, 710f, -710f};

  static float raw(Random r) {
    switch (r.nextInt(4)) {
      case 0:
        return SPECIAL[r.nextInt(SPECIAL.length)];
      case 1:
        return (float) (r.nextGaussian() * 1e6);
      default:
        return (float) r.nextGaussian() * 3;
    }
  }

  static ParameterSlot randomSlot(Random r, int i, int slot) {
    String name = "p" + i;
    Transform numeric = r.nextBoolean() ? Transform.SIGMOID : Transform.CLAMP;
    switch (r.nextInt(4)) {
      case 0: {
        double a = r.nextBoolean() ? r.nextGaussian() * 10 : (r.nextBoolean() ? -1e300 : 0.1);
        double b = a + (r.nextBoolean() ? Math.abs(r.nextGaussian()) * 5 : 0.2);
        if (r.nextInt(10) == 0) {
          b = 1e300;
        }
        return new ParameterSlot(FloatSpec.of(name, a, b, a), slot, numeric);
      }
      case 1: {
        long a = r.nextInt(10) == 0 ? Long.MIN_VALUE : r.nextInt(100) - 50;
        long b = r.nextInt(10) == 0 ? Long.MAX_VALUE : a + r.nextInt(5000);
        if (b < a) {
          b = a;
        }
        return new ParameterSlot(IntSpec.of(name, a, b, a), slot, numeric);
      }
      case 2: {
        int n = 1 + r.nextInt(6);
        List<String> choices = new ArrayList<>();
        for (int c = 0; c < n; c++) {
          choices.add("c" + c);
        }
        return new ParameterSlot(new CategoricalSpec(name, choices, "c0"), slot, Transform.ARGMAX);
      }
      default:
        return new ParameterSlot(new TensorSpec(name, List.of(1 + r.nextInt(3), 1 + r.nextInt(3))),
            slot, Transform.IDENTITY);
    }
  }

  @Test
  void decode_randomRawOutputsIncludingNaNAndInfinity_alwaysInsideTheSpace() {
    Random r = new Random(20260131);
    for (int trial = 0; trial < 2_000; trial++) {
      List<ParameterSlot> slots = new ArrayList<>();
      int width = 0;
      int n = 1 + r.nextInt(5);
      for (int i = 0; i < n; i++) {
        ParameterSlot s = randomSlot(r, i, width);
        slots.add(s);
        width += s.width();
      }
      CandidateHead head = new CandidateHead(0, Candidate.of("p", "m"), slots, width, "out", 0.1);
      int offset = r.nextInt(3);
      float[] raw = new float[offset + width];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = raw(r);
      }
      ParameterValues v = ParameterDecoder.decode(head, raw, offset);
      assertThat(v.names()).hasSize(n);
      head.space().validate(v); // throws InvalidParameterException if any value is outside
      for (ParameterSlot s : slots) {
        Object value = v.get(s.spec().name()).orElseThrow();
        assertThat(s.spec().validate(value)).isNotNull();
      }
    }
  }

  @Test
  void decode_rulesFromTheBundleFormat_giveDocumentedValues() {
    ParameterSlot temp = new ParameterSlot(FloatSpec.of("t", 0.1, 0.3, 0.2), 0,
        Transform.SIGMOID);
    ParameterSlot maxTok = new ParameterSlot(IntSpec.of("n", 16, 4096, 512), 1,
        Transform.SIGMOID);
    ParameterSlot clampF = new ParameterSlot(FloatSpec.of("c", 0, 2, 1), 2, Transform.CLAMP);
    ParameterSlot style = new ParameterSlot(CategoricalSpec.of("s", "a", "a", "b", "c"), 3,
        Transform.ARGMAX);
    CandidateHead h = new CandidateHead(0, Candidate.of("p", "m"),
        List.of(temp, maxTok, clampF, style), 6, "o", 0);
    ParameterValues v = ParameterDecoder.decode(h, new float[] {1000f, 0f, 5f, 1f, 3f, 3f}, 0);
    assertThat(v.getDouble("t")).isEqualTo(0.3); // clamped after (1-s)·min + s·max rounding
    assertThat(v.getLong("n")).isEqualTo(2056); // 16 + 4080·0.5 = 2056 exactly
    assertThat(v.getDouble("c")).isEqualTo(2.0);
    assertThat(v.getString("s")).isEqualTo("b"); // first of the tied maxima
    ParameterValues nan = ParameterDecoder.decode(h, new float[] {Float.NaN, Float.NaN,
        Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 0);
    assertThat(nan).isEqualTo(h.space().defaults());
    ParameterValues inf = ParameterDecoder.decode(h, new float[] {Float.NEGATIVE_INFINITY,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY,
        -1f}, 0);
    assertThat(inf.getDouble("t")).isEqualTo(0.1);
    assertThat(inf.getLong("n")).isEqualTo(4096);
    assertThat(inf.getDouble("c")).isEqualTo(0.0);
    assertThat(inf.getString("s")).isEqualTo("c"); // NaN never wins; -inf < -1
  }

  // Issue 16.16: float32 network outputs must not reach the wire as 0.69999999724559.
  @Test
  void decode_float_hasFloat32PrecisionNotItsDoubleExpansion() {
    ParameterSlot sig = new ParameterSlot(FloatSpec.of("temperature", 0, 1, 0), 0,
        Transform.SIGMOID);
    ParameterSlot clamp = new ParameterSlot(FloatSpec.of("top_p", 0, 1, 1), 1, Transform.CLAMP);
    CandidateHead h = new CandidateHead(0, Candidate.of("p", "m"), List.of(sig, clamp), 2, "o",
        0);
    float logit = (float) Math.log(0.7 / 0.3);
    double wide = 1 / (1 + Math.exp(-logit));
    assertThat(wide).as("what decoding gave before").isNotEqualTo(0.7);
    ParameterValues v = ParameterDecoder.decode(h, new float[] {logit, 0.7f}, 0);
    assertThat(v.getDouble("temperature")).isEqualTo(0.7);
    assertThat(v.getDouble("top_p")).isEqualTo(0.7);
    assertThat(String.valueOf(v.getDouble("temperature"))).isEqualTo("0.7");
  }

  @Test
  void routingDecoder_randomLogits_giveAValidDistributionAndSortedRanking() {
    Random r = new Random(42);
    List<CandidateHead> heads = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      heads.add(new CandidateHead(k, Candidate.of("p", "m" + k),
          List.of(new ParameterSlot(FloatSpec.of("t", 0, 1, 0.5), 0, Transform.SIGMOID)), 1,
          "o" + k, 0.001 * (k + 1)));
    }
    RoutingDecoder d = new RoutingDecoder(heads);
    for (int trial = 0; trial < 5_000; trial++) {
      int rows = 1 + r.nextInt(3);
      float[] logits = new float[rows * 5];
      float[][] params = new float[5][rows];
      for (int i = 0; i < logits.length; i++) {
        logits[i] = raw(r);
      }
      for (float[] p : params) {
        for (int i = 0; i < p.length; i++) {
          p[i] = raw(r);
        }
      }
      RouteRequest.Builder b = RouteRequest.builder().query("q");
      if (r.nextBoolean()) {
        b.deny("m" + r.nextInt(5));
      }
      if (r.nextInt(3) == 0) {
        b.maxCostPerCallUsd(0.0035);
      }
      RouteRequest req = b.build();
      Ranking ranking = d.decode(logits, params, new float[0], r.nextInt(rows), req);
      double sum = 0;
      double prev = 2;
      for (RankedCandidate c : ranking.ranking()) {
        assertThat(c.probability()).isBetween(0.0, 1.0);
        assertThat(c.probability()).isLessThanOrEqualTo(prev);
        prev = c.probability();
        sum += c.probability();
        assertThat(c.parameters().getDouble("t")).isBetween(0.0, 1.0);
        assertThat(req.deniedModels()).doesNotContain(c.model());
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(ranking.ranking().size() + ranking.excluded().size()).isEqualTo(5);
    }
  }

  @Test
  void candidateHead_overlappingSlots_isRejected() {
    ParameterSlot a = new ParameterSlot(CategoricalSpec.of("s", "x", "x", "y"), 0,
        Transform.ARGMAX);
    ParameterSlot b = new ParameterSlot(FloatSpec.of("t", 0, 1, 0), 1, Transform.SIGMOID);
    assertThatThrownBy(() -> new CandidateHead(0, Candidate.of("p", "m"), List.of(a, b), 2, "o",
        0)).hasMessage("candidate m parameters 's' and 't' both use slot 1");
    assertThatThrownBy(() -> new ParameterSlot(FloatSpec.of("t", 0, 1, 0), 0, Transform.ARGMAX))
        .hasMessage("parameter 't' of kind float cannot use transform 'argmax'; expected"
            + " [sigmoid, clamp]");
  }

  @Test
  void parameterSpecKinds_coverEveryTransformCheck() {
    for (ParameterSpec s : List.<ParameterSpec>of(FloatSpec.of("f", 0, 1, 0),
        IntSpec.of("i", 0, 1, 0), CategoricalSpec.of("c", "a", "a"),
        new TensorSpec("t", List.of(2)))) {
      assertThat(ParameterSlot.defaultTransform(s)).isNotNull();
      new ParameterSlot(s, 0, ParameterSlot.defaultTransform(s));
    }
  }
}
