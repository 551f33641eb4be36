package dev.haps.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.RouteDecision;
import dev.haps.api.params.ParameterValues;
import java.util.List;

/**
 * One chat-completions request on its way through the routing client. The client calls its
 * router and providers on the request's own thread, so a thread-local hands the raw OpenAI body
 * to {@link ServeProvider} (which forwards tools and response formats) and lets {@link
 * CapturingRouter} and the provider report the decision and the attempt being made, which the
 * response headers need before the first streamed byte.
 */
final class ServeExchange {

  private static final ThreadLocal<ServeExchange> CURRENT = new ThreadLocal<>();

  /** The client's body, as received. */
  final ObjectNode body;
  /** The conversation as the router and text-only providers see it, one per raw message. */
  final List<ChatMessage> messages;
  /** A concrete candidate was named: forward the body as sent, without routed parameters. */
  final boolean pinned;
  final boolean stream;
  /** The client asked for a usage chunk in the stream. */
  final boolean streamUsage;
  final double costWeight;
  /** Receives streamed chunks; null for a non-streaming request. */
  final StreamSink sink;

  volatile RouteDecision decision;
  volatile String providerId;
  volatile String backendModel;
  volatile ParameterValues providerParameters;
  /** The upstream's JSON answer when the request was forwarded as is (non-streaming). */
  volatile JsonNode rawAnswer;
  /** The upstream's chunks are being forwarded as they are. */
  volatile boolean forwarding;

  ServeExchange(ObjectNode body, List<ChatMessage> messages, boolean pinned, boolean stream,
      boolean streamUsage, double costWeight, StreamSink sink) {
    this.body = body;
    this.messages = messages;
    this.pinned = pinned;
    this.stream = stream;
    this.streamUsage = streamUsage;
    this.costWeight = costWeight;
    this.sink = sink;
  }

  static ServeExchange current() {
    return CURRENT.get();
  }

  /** Binds this exchange to the calling thread until {@link #unbind()}. */
  void bind() {
    CURRENT.set(this);
  }

  void unbind() {
    CURRENT.remove();
  }

  void onAttempt(String provider, String model, ParameterValues parameters) {
    this.providerId = provider;
    this.backendModel = model;
    this.providerParameters = parameters;
    this.rawAnswer = null;
  }

  /** Where streamed chunks go; the first write commits the response headers. */
  interface StreamSink {
    /**
     * Sends one chunk (an OpenAI {@code chat.completion.chunk} object).
     *
     * @param chunk the chunk; the sink may add the {@code haps} field to the first one
     */
    void chunk(ObjectNode chunk);
  }
}
