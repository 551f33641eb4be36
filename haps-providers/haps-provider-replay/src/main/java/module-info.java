/** The {@code replay} provider plugin: recorded outcomes as an offline backend. */
module dev.haps.provider.replay {
  requires transitive dev.haps.api;
  requires transitive dev.haps.data;
  requires org.slf4j;

  exports dev.haps.provider.replay;

  provides dev.haps.spi.LlmProviderFactory with dev.haps.provider.replay.ReplayProviderFactory;
}
