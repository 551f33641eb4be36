/** Outcome logs (reading, validating, crash-safe appending) and the cost/quality trade-off. */
module dev.haps.data {
  requires transitive dev.haps.api;
  requires transitive com.fasterxml.jackson.databind; // JsonProblems takes Jackson exceptions
  requires org.slf4j;

  exports dev.haps.data;
  exports dev.haps.data.tradeoff;
  exports dev.haps.data.internal; // shared by the SDK's modules; not a supported API
}
