package dev.haps.onnx;

import java.util.List;
import java.util.Objects;

/**
 * One node of an ONNX graph as {@link OnnxModel#nodes()} reads it: its name, operator, domain,
 * the value names it reads and writes, and the names of its attributes (their values are not
 * decoded).
 *
 * @param name the node's name ({@code ""} when the file gives none)
 * @param opType the operator, e.g. {@code MatMul}
 * @param domain the operator's domain, {@code ""} for the default ONNX domain
 * @param inputs the input value names in order ({@code ""} for an omitted optional input)
 * @param outputs the output value names in order
 * @param attributeNames the attribute names in file order
 * @since 0.1.0
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs,
    List<String> outputs, List<String> attributeNames) {

  /**
   * Copies the lists.
   *
   * @throws NullPointerException if any component is null
   */
  public OnnxNode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(opType, "opType");
    Objects.requireNonNull(domain, "domain");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributeNames = List.copyOf(attributeNames);
  }
}
