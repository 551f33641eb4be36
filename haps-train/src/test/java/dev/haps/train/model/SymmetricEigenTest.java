package dev.haps.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.haps.train.nn.Rng;
import org.junit.jupiter.api.Test;

/** Jacobi eigenvectors: orthonormal, A v = λ v, largest eigenvalues first. */
class SymmetricEigenTest {

  @Test
  void top_returnsOrthonormalEigenvectorsOfTheLargestEigenvalues() {
    int n = 29;
    Rng r = new Rng(3);
    double[] b = new double[n * n];
    for (int i = 0; i < b.length; i++) {
      b[i] = r.gaussian();
    }
    double[] a = new double[n * n]; // BᵀB: symmetric, positive semi-definite
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += b[k * n + i] * b[k * n + j];
        }
        a[i * n + j] = s;
      }
    }
    int k = 4;
    double[] v = SymmetricEigen.top(a, n, k);
    double previous = Double.POSITIVE_INFINITY;
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += a[i * n + i];
    }
    for (int j = 0; j < k; j++) {
      double[] av = new double[n];
      double lambda = 0;
      for (int i = 0; i < n; i++) {
        for (int m = 0; m < n; m++) {
          av[i] += a[i * n + m] * v[m * k + j];
        }
        lambda += v[i * k + j] * av[i];
      }
      for (int i = 0; i < n; i++) {
        assertThat(av[i]).isCloseTo(lambda * v[i * k + j], within(1e-8 * trace));
      }
      assertThat(lambda).isLessThanOrEqualTo(previous).isPositive();
      previous = lambda;
      for (int l = 0; l <= j; l++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v[i * k + j] * v[i * k + l];
        }
        assertThat(dot).isCloseTo(l == j ? 1 : 0, within(1e-10));
      }
    }
    // The largest eigenvalue is at least every diagonal entry (Rayleigh quotient of a basis
    // vector), so the first vector is the top one, not merely an eigenvector.
    for (int i = 0; i < n; i++) {
      double first = 0;
      for (int m = 0; m < n; m++) {
        for (int l = 0; l < n; l++) {
          first += v[m * k] * a[m * n + l] * v[l * k];
        }
      }
      assertThat(first).isGreaterThanOrEqualTo(a[i * n + i] - 1e-9);
    }
  }
}
