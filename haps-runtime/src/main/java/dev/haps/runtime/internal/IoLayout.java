package dev.haps.runtime.internal;

import dev.haps.api.error.BundleException;
import dev.haps.runtime.decode.CandidateHead;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX inputs and outputs a manifest requires, with their shapes, and the check of a
 * network's declared inputs and outputs against them. Used twice: on the parsed
 * {@code router.onnx} and on the ONNX Runtime session. Internal API.
 */
public final class IoLayout {

  /** ONNX element type of float32. */
  public static final int FLOAT = 1;

  private final String source;
  private final Map<String, Long> inputs = new LinkedHashMap<>();
  private final Map<String, Long> outputs = new LinkedHashMap<>();
  private final Map<String, String> why = new LinkedHashMap<>();

  /**
   * Derives the required layout from a manifest.
   *
   * @param source where the bundle came from
   * @param m the manifest
   */
  public IoLayout(String source, ParsedManifest m) {
    this.source = source;
    int e = m.encoder().dimension();
    int k = m.heads().size();
    put(inputs, m.io().embedding(), e, "encoder.dimension in manifest.json");
    put(inputs, m.io().costWeight(), 1, "the cost weight is one value per row");
    put(outputs, m.io().logits(), k, "the number of candidates in manifest.json");
    if (m.io().hasExpectedCost()) {
      put(outputs, m.io().expectedCost(), k, "the number of candidates in manifest.json");
    }
    for (CandidateHead h : m.heads()) {
      if (h.width() > 0 && !outputs.containsKey(h.output())) {
        put(outputs, h.output(), h.outputWidth(), h.outputWidth() == h.width()
            ? "the slots used by candidates[" + h.index() + "].parameters in manifest.json"
            : "the slots used by the candidates sharing this output in manifest.json");
      }
    }
  }

  private void put(Map<String, Long> map, String name, long width, String reason) {
    map.put(name, width);
    why.put(name, reason);
  }

  /**
   * The required inputs: name to second dimension.
   *
   * @return an insertion-ordered map
   */
  public Map<String, Long> inputs() {
    return inputs;
  }

  /**
   * The required outputs: name to second dimension.
   *
   * @return an insertion-ordered map
   */
  public Map<String, Long> outputs() {
    return outputs;
  }

  /**
   * Checks that the network's inputs are exactly the required ones.
   *
   * @param found the network's input names
   * @param where {@code router.onnx} or {@code router.onnx (ONNX Runtime session)}
   * @throws BundleException naming the missing or extra input
   */
  public void checkInputNames(Set<String> found, String where) {
    for (String name : inputs.keySet()) {
      if (!found.contains(name)) {
        throw BundleErrors.field(source, where, "graph.input", "inputs " + found,
            "an input named '" + name + "' (manifest.json io)");
      }
    }
    for (String name : found) {
      if (!inputs.containsKey(name)) {
        throw BundleErrors.field(source, where, "graph.input", "an extra input '" + name + "'",
            "only the inputs " + inputs.keySet() + " named in manifest.json io");
      }
    }
  }

  /**
   * Checks that the network has every required output (extra outputs are allowed and ignored).
   *
   * @param found the network's output names
   * @param where the file description
   * @throws BundleException naming the missing output
   */
  public void checkOutputNames(Set<String> found, String where) {
    for (String name : outputs.keySet()) {
      if (!found.contains(name)) {
        throw BundleErrors.field(source, where, "graph.output", "outputs " + found,
            "an output named '" + name + "' (manifest.json)");
      }
    }
  }

  /**
   * Checks one value's type and shape: float32, {@code [N, width]} with N dynamic.
   *
   * @param name the value's name (a required input or output)
   * @param elementType the ONNX element type number
   * @param dims the declared shape, -1 for a dynamic dimension
   * @param where the file description
   * @throws BundleException naming the value, found and expected shapes
   */
  public void checkShape(String name, int elementType, long[] dims, String where) {
    Long width = inputs.containsKey(name) ? inputs.get(name) : outputs.get(name);
    if (width == null) {
      return;
    }
    String field = (inputs.containsKey(name) ? "input '" : "output '") + name + "'";
    if (elementType != FLOAT) {
      throw BundleErrors.field(source, where, field, "element type " + elementType,
          "float32 (1)");
    }
    if (dims.length != 2 || dims[0] != -1 || dims[1] != width) {
      throw BundleErrors.field(source, where, field, "shape " + show(dims),
          "[N, " + width + "] with a dynamic batch dimension N (" + why.get(name) + ")");
    }
  }

  /**
   * Formats a shape, dynamic dimensions as {@code N}.
   *
   * @param dims the shape
   * @return e.g. {@code [N, 384]}
   */
  public static String show(long[] dims) {
    String[] parts = new String[dims.length];
    for (int i = 0; i < dims.length; i++) {
      parts[i] = dims[i] < 0 ? "N" : Long.toString(dims[i]);
    }
    return Arrays.toString(parts);
  }

  /**
   * Formats a shape list.
   *
   * @param dims the shape
   * @return e.g. {@code [N, 384]}
   */
  public static long[] toArray(List<Long> dims) {
    long[] a = new long[dims.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = dims.get(i);
    }
    return a;
  }
}
