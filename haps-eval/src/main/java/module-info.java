/**
 * Evaluation: metrics, baselines, bootstrap intervals and reports. {@code dev.haps.eval.baselines}
 * is used only inside this module and is not exported.
 */
module dev.haps.eval {
  requires transitive dev.haps.api;
  requires transitive dev.haps.data;
  requires transitive dev.haps.runtime;
  requires transitive dev.haps.train;
  requires com.fasterxml.jackson.databind;
  requires com.microsoft.onnxruntime;
  requires java.desktop;
  requires org.slf4j;

  exports dev.haps.eval;
  exports dev.haps.eval.routing;
}
