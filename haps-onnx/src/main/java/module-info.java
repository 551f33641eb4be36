/**
 * ONNX model reading and writing with protobuf-java descriptors. protobuf-java has no module
 * descriptor; it is required by its stable {@code Automatic-Module-Name}.
 */
module dev.haps.onnx {
  requires com.google.protobuf;

  exports dev.haps.onnx;
}
