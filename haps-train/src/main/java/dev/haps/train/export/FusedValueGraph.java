package dev.haps.train.export;

import dev.haps.onnx.OnnxModelBuilder;
import dev.haps.train.model.CandidateOutputs;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.LayerView;
import dev.haps.train.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.haps.data.tradeoff.CostTradeoff;

/**
 * Writes a value-head {@link TrainedModel} as one fused graph whose node count does not grow with
 * the ensemble or the candidates' configurations.
 *
 * <p>Why: one query through the router network is a matrix-vector product per layer, and ONNX
 * Runtime charges about half a microsecond per node on top of the arithmetic. Written member by
 * member and candidate by candidate the default bundle needed ~80 nodes (90 µs per query); fused it
 * needs ~30. The arithmetic is the same as {@link TrainedModel#infer}:
 *
 * <ol>
 *   <li>every member's every trunk reads the same input, so the first trunk layers of all of them
 *       are one {@code Gemm} with their weight columns side by side; deeper trunk layers run as one
 *       batched {@code MatMul} over a {@code [groups, batch, width]} view;
 *   <li>every generator (member m, candidate c) reads its trunk's block of that output; its
 *       hidden layers and its output layer are {@code Gemm}s whose weights are zero outside the
 *       generator's block (small: generators are thin), the score logits and the log-costs in two
 *       separate {@code Gemm}s laid out as {@code [member][candidate][configuration]}, candidates
 *       padded to the largest configuration count;
 *   <li>σ and exp, then the mean over members ({@code ReduceMean}), {@code U = q − λ·c} with
 *       padded configurations pushed to {@value #PAD} so they never win, and a
 *       {@code [batch, K, C]} view on which {@code ReduceMax} gives the model logits and {@code
 *       Hardmax} (first maximum, as the Java loop) the chosen configuration of every candidate.
 * </ol>
 */
final class FusedValueGraph {

  /** Utility of a padded (non-existent) configuration: below any real one. */
  static final float PAD = -1e9f;

  private final TrainedModel model;
  private final double temperature;
  private final OnnxModelBuilder g;
  private final String input;
  private final int inWidth;
  private final List<LayerView> views = new ArrayList<>();
  private final int members;
  private final int k;
  private final int maxConfigs;
  private int names;

  FusedValueGraph(TrainedModel model, double temperature, OnnxModelBuilder g, String input,
      int inWidth) {
    this.model = model;
    this.temperature = temperature;
    this.g = g;
    this.input = input;
    this.inWidth = inWidth;
    for (HapsNetwork net : model.members()) {
      views.add(LayerView.of(net));
    }
    this.members = views.size();
    this.k = model.candidates().size();
    int most = 1;
    for (CandidateOutputs c : model.candidates()) {
      most = Math.max(most, c.configs().size());
    }
    this.maxConfigs = most;
  }

  /** A block of columns of one layer copied into a wider, otherwise zero weight matrix. */
  private record Block(int srcOffset, LayerView.Layer layer, int fromCol, int count, int outOffset) {}

  /** Where a value's columns of one group or path start, and how wide each block is. */
  private record Blocks(String name, int width, int[] offsets, int blockWidth) {}

  private String fresh(String base) {
    return base + "_f" + (names++);
  }

  private String constant(String base, float[] data, long... dims) {
    String n = fresh(base);
    g.initializer(n, data, dims);
    return n;
  }

  private String longs(String base, long... data) {
    String n = fresh(base);
    g.initializer(n, data, data.length);
    return n;
  }

  void build() {
    Blocks reps = trunks();
    Blocks gens = generators(reps);
    int s = k * maxConfigs;
    List<Block> qBlocks = new ArrayList<>();
    List<Block> cBlocks = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      for (int c = 0; c < k; c++) {
        int cc = model.candidates().get(c).configs().size();
        LayerView.Layer out = views.get(m).generatorOut(c);
        int src = gens.offsets()[m * k + c];
        int at = m * s + c * maxConfigs;
        qBlocks.add(new Block(src, out, 0, cc, at));
        cBlocks.add(new Block(src, out, cc, cc, at));
      }
    }
    String zq = sparseGemm(gens, members * s, qBlocks, "score_logits");
    String zc = sparseGemm(gens, members * s, cBlocks, "log_cost");
    if (views.get(0).linearPath(firstGenerator()) != null) {
      zq = plusLinear(zq, s, 0);
      zc = plusLinear(zc, s, 1);
    }
    String q = fresh("score");
    g.sigmoid(zq, q);
    String cost = fresh("cost");
    g.exp(zc, cost);
    q = memberMean(q, s);
    cost = memberMean(cost, s);

    String lambda = lambda();
    String penalty = fresh("penalty");
    g.mul(lambda, cost, penalty);
    String u = fresh("utility");
    g.sub(q, penalty, u);
    float[] mask = new float[s];
    boolean padded = false;
    for (int c = 0; c < k; c++) {
      for (int j = model.candidates().get(c).configs().size(); j < maxConfigs; j++) {
        mask[c * maxConfigs + j] = PAD;
        padded = true;
      }
    }
    if (padded) {
      String masked = fresh("utility_masked");
      g.add(u, constant("pad_mask", mask, s), masked);
      u = masked;
    }
    String shape3 = longs("shape_bkc", -1, k, maxConfigs);
    String u3 = fresh("utility_bkc");
    g.node("Reshape", List.of(u, shape3), List.of(u3));
    String best = fresh("best");
    g.node("ReduceMax", List.of(u3), List.of(best), Map.of("axes", new long[] {2}, "keepdims", 0L));
    g.div(best, constant("temperature", new float[] {(float) temperature}),
        OnnxGraph.LOGITS);
    g.output(OnnxGraph.LOGITS, -1, k);

    String choice = fresh("choice");
    g.node("Hardmax", List.of(u3), List.of(choice), Map.of("axis", 2L));
    String cost3 = fresh("cost_bkc");
    g.node("Reshape", List.of(cost, shape3), List.of(cost3));
    String picked = fresh("picked_cost");
    g.mul(choice, cost3, picked);
    String chosenCost = fresh("chosen_cost");
    g.node("ReduceSum", List.of(picked, longs("axis2", 2)), List.of(chosenCost),
        Map.of("keepdims", 0L));
    g.mul(chosenCost, constant("cost_scale", new float[] {(float) model.tradeoff().costScale()}),
        OnnxGraph.EXPECTED_COST);
    g.output(OnnxGraph.EXPECTED_COST, -1, k);

    for (int c = 0; c < k; c++) {
      CandidateOutputs co = model.candidates().get(c);
      int p = co.slots();
      if (p == 0) {
        continue;
      }
      String row = fresh("choice" + c);
      String index = fresh("candidate" + c);
      g.initializer(index, new long[] {c});
      g.node("Gather", List.of(choice, index), List.of(row), Map.of("axis", 1L));
      double[][] enc = model.configurationEncodings(c);
      float[] table = new float[maxConfigs * p];
      for (int j = 0; j < enc.length; j++) {
        for (int t = 0; t < p; t++) {
          table[j * p + t] = (float) enc[j][t];
        }
      }
      String out = OnnxGraph.paramsOutput(c);
      g.matMul(row, constant("encodings" + c, table, maxConfigs, p), out);
      g.output(out, -1, p);
    }
  }

  private int firstGenerator() {
    for (int c = 0; c < k; c++) {
      if (views.get(0).generatorOut(c) != null) {
        return c;
      }
    }
    return 0;
  }

  /**
   * Adds the members' frozen linear paths: one {@code Gemm} from the network input into the same
   * {@code [member][candidate][configuration]} layout (part 0: score logits, 1: log-costs). Its
   * input rows beyond the path's width (the cost weight, when the trunk reads it) are zero.
   */
  private String plusLinear(String z, int s, int part) {
    int outWidth = members * s;
    float[] w = new float[inWidth * outWidth];
    float[] b = new float[outWidth];
    for (int m = 0; m < members; m++) {
      for (int c = 0; c < k; c++) {
        LayerView.Layer l = views.get(m).linearPath(c);
        if (l == null) {
          continue;
        }
        int cc = model.candidates().get(c).configs().size();
        int at = m * s + c * maxConfigs;
        int from = part * cc;
        for (int i = 0; i < l.in(); i++) {
          System.arraycopy(l.weights(), i * l.out() + from, w, i * outWidth + at, cc);
        }
        System.arraycopy(l.bias(), from, b, at, cc);
      }
    }
    String base = part == 0 ? "linear_score" : "linear_cost";
    String y = fresh(base);
    g.gemm(input, constant(base + "_W", w, inWidth, outWidth), constant(base + "_b", b,
        outWidth), y, false);
    String sum = fresh(base + "_sum");
    g.add(z, y, sum);
    return sum;
  }

  /** Every member's trunks side by side: group {@code m·T + t} is member m's trunk t. */
  private Blocks trunks() {
    int trunkCount = views.get(0).trunkCount();
    int groups = members * trunkCount;
    List<List<LayerView.Layer>> layers = new ArrayList<>();
    for (LayerView v : views) {
      for (int t = 0; t < trunkCount; t++) {
        layers.add(v.trunk(t));
      }
    }
    int depth = layers.get(0).size();
    if (depth == 0) {
      // No hidden layer: every "representation" is the input itself.
      return new Blocks(input, inWidth, new int[groups], inWidth);
    }
    int h = layers.get(0).get(0).out();
    float[] w = new float[inWidth * groups * h];
    float[] b = new float[groups * h];
    for (int grp = 0; grp < groups; grp++) {
      LayerView.Layer l = layers.get(grp).get(0);
      for (int i = 0; i < inWidth; i++) {
        System.arraycopy(l.weights(), i * h, w, i * groups * h + grp * h, h);
      }
      System.arraycopy(l.bias(), 0, b, grp * h, h);
    }
    String z = fresh("trunk0");
    g.gemm(input, constant("trunk0_W", w, inWidth, (long) groups * h),
        constant("trunk0_b", b, (long) groups * h), z, false);
    String r = fresh("trunk0_relu");
    g.relu(z, r);
    if (depth > 1) {
      // Deeper layers: one batched MatMul over [groups, batch, width].
      String v3 = fresh("trunk_bgh");
      g.node("Reshape", List.of(r, longs("shape_bgh", -1, groups, h)), List.of(v3));
      String gbh = fresh("trunk_gbh");
      g.node("Transpose", List.of(v3), List.of(gbh), Map.of("perm", new long[] {1, 0, 2}));
      String cur = gbh;
      for (int l = 1; l < depth; l++) {
        int hin = layers.get(0).get(l).in();
        int hout = layers.get(0).get(l).out();
        float[] wl = new float[groups * hin * hout];
        float[] bl = new float[groups * hout];
        for (int grp = 0; grp < groups; grp++) {
          LayerView.Layer layer = layers.get(grp).get(l);
          System.arraycopy(layer.weights(), 0, wl, grp * hin * hout, hin * hout);
          System.arraycopy(layer.bias(), 0, bl, grp * hout, hout);
        }
        String mm = fresh("trunk" + l);
        g.matMul(cur, constant("trunk" + l + "_W", wl, groups, hin, hout), mm);
        String biased = fresh("trunk" + l + "_b");
        g.add(mm, constant("trunk" + l + "_bias", bl, groups, 1, hout), biased);
        String relu = fresh("trunk" + l + "_relu");
        g.relu(biased, relu);
        cur = relu;
        h = hout;
      }
      String bgh = fresh("trunk_out_bgh");
      g.node("Transpose", List.of(cur), List.of(bgh), Map.of("perm", new long[] {1, 0, 2}));
      r = fresh("trunk_out");
      g.node("Reshape", List.of(bgh, longs("shape_flat", -1, (long) groups * h)), List.of(r));
    }
    int[] offsets = new int[groups];
    for (int grp = 0; grp < groups; grp++) {
      offsets[grp] = grp * h;
    }
    return new Blocks(r, groups * h, offsets, h);
  }

  /**
   * The input of each generator's output layer, path {@code m·K + c}: its trunk's block, or the
   * last of its hidden layers (block-sparse {@code Gemm}s: a generator reads only its own block).
   */
  private Blocks generators(Blocks reps) {
    int trunkCount = views.get(0).trunkCount();
    int paths = members * k;
    int[] src = new int[paths];
    for (int m = 0; m < members; m++) {
      for (int c = 0; c < k; c++) {
        src[m * k + c] = reps.offsets()[m * trunkCount + views.get(m).trunkOf(c)];
      }
    }
    Blocks cur = new Blocks(reps.name(), reps.width(), src, reps.blockWidth());
    int depth = views.get(0).generatorHidden(0).size();
    for (int l = 0; l < depth; l++) {
      int h = views.get(0).generatorHidden(0).get(l).out();
      List<Block> blocks = new ArrayList<>();
      int[] offsets = new int[paths];
      for (int m = 0; m < members; m++) {
        for (int c = 0; c < k; c++) {
          int p = m * k + c;
          offsets[p] = p * h;
          blocks.add(new Block(cur.offsets()[p], views.get(m).generatorHidden(c).get(l), 0, h,
              p * h));
        }
      }
      String z = sparseGemm(cur, paths * h, blocks, "generator" + l);
      String r = fresh("generator" + l + "_relu");
      g.relu(z, r);
      cur = new Blocks(r, paths * h, offsets, h);
    }
    return cur;
  }

  /** A Gemm from {@code src} to {@code outWidth} columns whose weights are zero outside blocks. */
  private String sparseGemm(Blocks src, int outWidth, List<Block> blocks, String base) {
    float[] w = new float[src.width() * outWidth];
    float[] b = new float[outWidth];
    for (Block blk : blocks) {
      LayerView.Layer l = blk.layer();
      for (int i = 0; i < l.in(); i++) {
        System.arraycopy(l.weights(), i * l.out() + blk.fromCol(), w,
            (blk.srcOffset() + i) * outWidth + blk.outOffset(), blk.count());
      }
      System.arraycopy(l.bias(), blk.fromCol(), b, blk.outOffset(), blk.count());
    }
    String y = fresh(base);
    g.gemm(src.name(), constant(base + "_W", w, src.width(), outWidth),
        constant(base + "_b", b, outWidth), y, false);
    return y;
  }

  /** {@code [batch, members·s]} → the mean over members, {@code [batch, s]}. */
  private String memberMean(String x, int s) {
    if (members == 1) {
      return x;
    }
    String v = fresh("by_member");
    g.node("Reshape", List.of(x, longs("shape_bms", -1, members, s)), List.of(v));
    String mean = fresh("member_mean");
    g.node("ReduceMean", List.of(v), List.of(mean),
        Map.of("axes", new long[] {1}, "keepdims", 0L));
    return mean;
  }

  /** λ(w) = λmin · exp(w · ln(λmax/λmin)) · sign(w): 0 at w = 0, as CostTradeoff.lambda. */
  private String lambda() {
    var t = model.tradeoff();
    String scaled = fresh("cw_scaled");
    g.mul(OnnxGraph.COST_WEIGHT, constant("log_ratio",
        new float[] {(float) Math.log(t.lambdaMax() / t.lambdaMin())}), scaled);
    String ex = fresh("cw_exp");
    g.exp(scaled, ex);
    String lmin = fresh("lambda_pos");
    g.mul(ex, constant("lambda_min", new float[] {(float) t.lambdaMin()}), lmin);
    String sign = fresh("cw_sign");
    g.node("Sign", List.of(OnnxGraph.COST_WEIGHT), List.of(sign));
    String lambda = "lambda";
    g.mul(lmin, sign, lambda);
    return lambda;
  }
}
