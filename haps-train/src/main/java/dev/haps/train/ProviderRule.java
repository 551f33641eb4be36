package dev.haps.train;

import java.util.Locale;

/**
 * The provider id a bundle expects for a candidate model, guessed from the model id: the last
 * path segment, lower-cased, starting with {@code claude} means {@code anthropic}, starting with
 * {@code gemini} means {@code gemini}; everything else means {@code openai}, because GPT models are OpenAI's and most other hosted and local
 * models (Llama, Mistral, Yi, WizardLM on vLLM, Ollama or gateways) are served through the
 * OpenAI-compatible protocol. An application maps each candidate to its own provider instance
 * anyway; this is only the default.
 */
final class ProviderRule {

  private ProviderRule() {}

  static String providerFor(String modelId) {
    String name = modelId.substring(modelId.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.startsWith("claude")) {
      return "anthropic";
    }
    return name.startsWith("gemini") ? "gemini" : "openai";
  }
}
