package dev.haps.train.torch;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam over the layers' parameters, applied in place outside the gradient collector (no weight
 * decay: the layers start from pretrained weights and move little).
 */
final class Adam {

  private static final float B1 = 0.9f;
  private static final float B2 = 0.999f;
  private static final float EPS = 1e-8f;

  private final List<NDArray> params;
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private int t;

  Adam(List<NDArray> params) {
    this.params = List.copyOf(params);
    for (NDArray p : this.params) {
      p.setRequiresGradient(true);
      m.add(p.zerosLike());
      v.add(p.zerosLike());
    }
  }

  /** One update from the gradients of the last backward pass; zeroes them afterwards. */
  void step(float lr) {
    t++;
    float c1 = 1 - (float) Math.pow(B1, t);
    float c2 = 1 - (float) Math.pow(B2, t);
    for (int i = 0; i < params.size(); i++) {
      NDArray p = params.get(i);
      try (NDArray grad = p.getGradient()) {
        NDArray mi = m.get(i);
        NDArray vi = v.get(i);
        mi.muli(B1);
        try (NDArray a = grad.mul(1 - B1); NDArray sq = grad.mul(grad).muli(1 - B2)) {
          mi.addi(a);
          vi.muli(B2).addi(sq);
        }
        if (lr > 0) {
          try (NDArray den = vi.div(c2).sqrt().addi(EPS); NDArray upd = mi.div(c1).divi(den)) {
            p.subi(upd.muli(lr));
          }
        }
        grad.muli(0f);
      }
    }
  }
}
