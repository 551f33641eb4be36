package dev.haps.train.model;

import dev.haps.train.nn.Rng;

/** The small math the objectives share. */
final class Functions {

  private Functions() {}

  static double sigmoid(double u) {
    return 1 / (1 + Math.exp(-u));
  }

  static double softplus(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  static double[] softmax(double[] l) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : l) {
      m = Math.max(m, v);
    }
    double z = 0;
    double[] p = new double[l.length];
    for (int i = 0; i < l.length; i++) {
      p[i] = Math.exp(l[i] - m);
      z += p[i];
    }
    for (int i = 0; i < l.length; i++) {
      p[i] /= z;
    }
    return p;
  }

  static double entropy(double[] p) {
    double h = 0;
    for (double v : p) {
      if (v > 0) {
        h -= v * Math.log(v);
      }
    }
    return h;
  }

  static int sample(double[] p, Rng rng) {
    double u = rng.uniform();
    double acc = 0;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      if (u < acc) {
        return i;
      }
    }
    return p.length - 1;
  }

  static int argmax(double[] v) {
    int b = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[b]) {
        b = i;
      }
    }
    return b;
  }
}
