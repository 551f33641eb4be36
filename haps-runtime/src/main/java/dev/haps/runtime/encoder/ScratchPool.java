package dev.haps.runtime.encoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reusable per-run buffers, so that an inference allocates no tensor memory of its own: ONNX
 * Runtime reads the inputs from and writes the output into these direct buffers.
 *
 * <p>A lock-free set of slots rather than a {@code ThreadLocal}: the number of buffers follows
 * the number of runs in flight, not the number of threads that ever called (virtual threads,
 * large pools). A miss allocates; a return to a full pool drops the buffers.
 */
final class ScratchPool {

  private final AtomicReferenceArray<Scratch> slots;
  private final int maxTokens;
  private final int dimension;
  private final boolean top;

  ScratchPool(int size, int maxTokens, int dimension, boolean top) {
    this.slots = new AtomicReferenceArray<>(size);
    this.maxTokens = maxTokens;
    this.dimension = dimension;
    this.top = top;
  }

  Scratch acquire() {
    for (int i = 0; i < slots.length(); i++) {
      Scratch s = slots.get(i);
      if (s != null && slots.compareAndSet(i, s, null)) {
        return s;
      }
    }
    return new Scratch(maxTokens, dimension, top);
  }

  void release(Scratch s) {
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, s)) {
        return;
      }
    }
  }

  /** Buffers for one run of at most {@code maxTokens} tokens. */
  static final class Scratch {
    final LongBuffer ids;
    /** All ones: without padding every token is attended to. */
    final LongBuffer mask;
    /** All zeros: one segment. */
    final LongBuffer types;
    final FloatBuffer hidden;
    /** The fine-tuned top layers' output; null without them. */
    final FloatBuffer topHidden;
    final float[] hiddenArray;
    final Map<String, ai.onnxruntime.OnnxTensor> inputs = new HashMap<>(8);
    final Map<String, ai.onnxruntime.OnnxTensor> outputs = new HashMap<>(4);

    Scratch(int maxTokens, int dimension, boolean top) {
      ids = longs(maxTokens);
      mask = longs(maxTokens);
      for (int i = 0; i < maxTokens; i++) {
        mask.put(i, 1L);
      }
      types = longs(maxTokens);
      hidden = floats(maxTokens, dimension);
      topHidden = top ? floats(maxTokens, dimension) : null;
      hiddenArray = new float[maxTokens * dimension];
    }

    private static FloatBuffer floats(int maxTokens, int dimension) {
      return ByteBuffer.allocateDirect(Math.multiplyExact(maxTokens * Float.BYTES, dimension))
          .order(ByteOrder.nativeOrder())
          .asFloatBuffer();
    }

    private static LongBuffer longs(int n) {
      return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }
  }
}
