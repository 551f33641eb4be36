/** The {@code anthropic} provider plugin (Messages API). */
module dev.haps.provider.anthropic {
  requires transitive dev.haps.api;
  requires dev.haps.provider.http;
  requires com.fasterxml.jackson.databind;

  exports dev.haps.provider.anthropic;

  provides dev.haps.spi.LlmProviderFactory
      with dev.haps.provider.anthropic.AnthropicProviderFactory;
}
