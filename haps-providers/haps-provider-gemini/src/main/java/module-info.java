/** The {@code gemini} provider plugin (Gemini API generateContent / streamGenerateContent). */
module dev.haps.provider.gemini {
  requires transitive dev.haps.api;
  requires dev.haps.provider.http;
  requires com.fasterxml.jackson.databind;

  exports dev.haps.provider.gemini;

  provides dev.haps.spi.LlmProviderFactory
      with dev.haps.provider.gemini.GeminiProviderFactory;
}
