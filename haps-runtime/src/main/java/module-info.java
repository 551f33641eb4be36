/**
 * The HAPS runtime: router bundles, the query encoder and {@link dev.haps.runtime.HapsRouter}.
 *
 * <p>{@code dev.haps.runtime.decode} and {@code dev.haps.runtime.internal} are implementation
 * packages and are not exported (no sibling module needs them). ONNX Runtime and the DJL
 * tokenizer have no module descriptors; they are required by their stable {@code
 * Automatic-Module-Name}s. The default encoder's model files come from a resource-only jar on the
 * class path, read as root-level resources, so it is not required here.
 */
module dev.haps.runtime {
  requires transitive dev.haps.api;
  requires dev.haps.data;
  requires dev.haps.onnx;
  requires com.microsoft.onnxruntime;
  requires ai.djl.tokenizers;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires java.management;

  exports dev.haps.runtime;
  exports dev.haps.runtime.encoder;
  exports dev.haps.runtime.execution;
}
