package dev.haps.eval.baselines;

import dev.haps.eval.routing.OutcomeTable;
import java.util.stream.IntStream;

/** k-nearest neighbours on the query embedding, by cosine similarity. */
final class Knn {

  /** The k values tried on valid. */
  static final int[] K_GRID = {1, 2, 3, 5, 8, 13, 20, 30, 50, 80, 120, 200};

  private Knn() {}

  /**
   * For each target row, the indices of the {@code kmax} most similar reference rows, most
   * similar first (ties to the lower index).
   */
  static int[][] neighbours(float[][] reference, float[][] targets, int kmax) {
    float[][] ref = normalised(reference);
    float[][] tgt = normalised(targets);
    int m = Math.min(kmax, ref.length);
    int[][] out = new int[tgt.length][];
    IntStream.range(0, tgt.length)
        .parallel()
        .forEach(
            t -> {
              double[] sim = new double[ref.length];
              for (int r = 0; r < ref.length; r++) {
                double s = 0;
                float[] a = tgt[t];
                float[] b = ref[r];
                for (int j = 0; j < a.length; j++) {
                  s += a[j] * b[j];
                }
                sim[r] = s;
              }
              out[t] = topK(sim, m);
            });
    return out;
  }

  // A full sort is cheap at these sizes (a few thousand training queries) and keeps ties stable.
  private static int[] topK(double[] sim, int k) {
    Integer[] idx = new Integer[sim.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(
        idx,
        (x, y) -> {
          int c = Double.compare(sim[y], sim[x]);
          return c != 0 ? c : Integer.compare(x, y);
        });
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  static float[][] normalised(float[][] x) {
    float[][] out = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      double n = 0;
      for (float v : x[i]) {
        n += v * v;
      }
      double inv = n > 0 ? 1 / Math.sqrt(n) : 0;
      out[i] = new float[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = (float) (x[i][j] * inv);
      }
    }
    return out;
  }

  /** Neighbour means of score and cost per configuration: result[0] scores, result[1] costs. */
  static double[][][] predict(OutcomeTable train, int[][] neighbours, int k, int queries) {
    int c = train.configurations().size();
    double[][] score = new double[queries][c];
    double[][] cost = new double[queries][c];
    for (int q = 0; q < queries; q++) {
      int kk = Math.min(k, neighbours[q].length);
      for (int i = 0; i < kk; i++) {
        int n = neighbours[q][i];
        for (int j = 0; j < c; j++) {
          score[q][j] += train.score(n, j);
          cost[q][j] += train.cost(n, j);
        }
      }
      for (int j = 0; j < c; j++) {
        score[q][j] /= kk;
        cost[q][j] /= kk;
      }
    }
    return new double[][][] {score, cost};
  }
}
