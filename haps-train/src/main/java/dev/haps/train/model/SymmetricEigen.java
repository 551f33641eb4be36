package dev.haps.train.model;

import java.util.Arrays;

/**
 * Eigenvectors of a small symmetric matrix by cyclic Jacobi rotations: exact to rounding and
 * short, for the configuration-by-configuration matrices of a reduced-rank linear path (tens to
 * a few hundred rows; cost about 10·n³ per solve).
 */
final class SymmetricEigen {

  private static final int MAX_SWEEPS = 100;

  private SymmetricEigen() {}

  /**
   * The eigenvectors of the {@code k} largest eigenvalues of a symmetric {@code n × n} matrix.
   *
   * @param a the matrix, row-major (not modified)
   * @param n its order
   * @param k how many, 1 to n
   * @return {@code n × k}, row-major, column j the eigenvector of the j-th largest eigenvalue
   */
  static double[] top(double[] a, int n, int k) {
    double[] m = a.clone();
    double[] v = new double[n * n];
    for (int i = 0; i < n; i++) {
      v[i * n + i] = 1;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      double diag = 0;
      for (int p = 0; p < n; p++) {
        diag += m[p * n + p] * m[p * n + p];
        for (int q = p + 1; q < n; q++) {
          off += m[p * n + q] * m[p * n + q];
        }
      }
      if (off <= 1e-30 * diag) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = m[p * n + q];
          if (apq == 0) {
            continue;
          }
          double theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
          // The smaller root of t² + 2θt − 1 = 0 (the rotation angle of at most 45°).
          double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int r = 0; r < n; r++) { // columns p and q of m
            double mp = m[r * n + p];
            double mq = m[r * n + q];
            m[r * n + p] = c * mp - s * mq;
            m[r * n + q] = s * mp + c * mq;
          }
          for (int r = 0; r < n; r++) { // rows p and q of m
            double mp = m[p * n + r];
            double mq = m[q * n + r];
            m[p * n + r] = c * mp - s * mq;
            m[q * n + r] = s * mp + c * mq;
          }
          for (int r = 0; r < n; r++) {
            double vp = v[r * n + p];
            double vq = v[r * n + q];
            v[r * n + p] = c * vp - s * vq;
            v[r * n + q] = s * vp + c * vq;
          }
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(m[y * n + y], m[x * n + x]));
    double[] out = new double[n * k];
    for (int j = 0; j < k; j++) {
      int col = order[j];
      for (int r = 0; r < n; r++) {
        out[r * k + j] = v[r * n + col];
      }
    }
    return out;
  }
}
