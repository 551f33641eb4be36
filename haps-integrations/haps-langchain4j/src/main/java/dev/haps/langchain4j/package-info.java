/**
 * HAPS for LangChain4j: {@link dev.haps.langchain4j.HapsChatModel} and
 * {@link dev.haps.langchain4j.HapsStreamingChatModel} put a HAPS router in front of the
 * application's own LangChain4j models. Each request is routed on its conversation; the chosen
 * model is called with the generated parameters; a failing model falls back to the next ranked
 * one; the decision comes back in {@link dev.haps.langchain4j.HapsChatResponseMetadata}.
 *
 * <p>Nothing here returns or accepts {@code null} unless a method says so.
 */
package dev.haps.langchain4j;
