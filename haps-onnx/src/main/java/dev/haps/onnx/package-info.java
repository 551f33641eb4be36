/**
 * Writes and reads small ONNX models with protobuf-java: {@link dev.haps.onnx.OnnxModelBuilder}
 * builds a float32 graph (the HAPS router network, test fixtures), {@link dev.haps.onnx.OnnxModel}
 * parses one for validation. The ONNX schema subset is defined in code from the public
 * {@code onnx.proto} field numbers, so no {@code protoc} is needed to build.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.onnx;
