/**
 * HAPS for Spring AI: {@link dev.haps.springai.HapsChatModel} puts a HAPS router in front of the
 * application's own Spring AI {@code ChatModel}s (call and stream). Each prompt is routed on its
 * conversation; the chosen model is called with the generated parameters as {@code ChatOptions};
 * a failing model falls back to the next ranked one; the decision comes back in the response
 * metadata and as Micrometer observations ({@link dev.haps.springai.HapsObservations}).
 *
 * <p>Nothing here returns or accepts {@code null} unless a method says so.
 */
package dev.haps.springai;
