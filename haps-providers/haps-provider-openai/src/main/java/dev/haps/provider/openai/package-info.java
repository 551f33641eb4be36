/**
 * The {@code openai} provider: the OpenAI-compatible Chat Completions wire protocol
 * ({@code POST <baseUrl>/chat/completions}), spoken by OpenAI and by vLLM, Ollama, llama.cpp's
 * server, LM Studio and most hosted gateways. Register-free: {@link
 * dev.haps.provider.openai.OpenAiProviderFactory} is listed in {@code META-INF/services}; the
 * settings and parameters are documented there and in {@code docs/providers.md}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.provider.openai;
