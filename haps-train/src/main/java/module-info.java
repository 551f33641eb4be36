/**
 * The HAPS trainer: offline environment, network, warm-up and reinforcement learning, ONNX export.
 * {@code dev.haps.train.export} is used only inside this module and is not exported.
 */
module dev.haps.train {
  requires transitive dev.haps.api;
  requires transitive dev.haps.data;
  requires transitive dev.haps.runtime;
  requires dev.haps.onnx;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.haps.train;
  exports dev.haps.train.embed;
  exports dev.haps.train.env;
  exports dev.haps.train.model;
  exports dev.haps.train.nn;

  uses dev.haps.train.embed.EncoderFineTuning;
}
