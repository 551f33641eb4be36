/** The {@code openai} provider plugin (OpenAI-compatible Chat Completions). */
module dev.haps.provider.openai {
  requires transitive dev.haps.api;
  requires dev.haps.provider.http;
  requires com.fasterxml.jackson.databind;

  exports dev.haps.provider.openai;

  provides dev.haps.spi.LlmProviderFactory with dev.haps.provider.openai.OpenAiProviderFactory;
}
