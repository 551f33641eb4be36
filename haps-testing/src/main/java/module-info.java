/** Test support for HAPS modules and plugins: bundles, encoders, loopback HTTP server, data. */
module dev.haps.testing {
  requires transitive dev.haps.api;
  requires transitive dev.haps.onnx;
  requires transitive com.fasterxml.jackson.databind;
  requires jdk.httpserver;

  exports dev.haps.testing;
}
