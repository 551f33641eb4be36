package dev.haps.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.spi.TokenUsage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The skeleton every JSON-over-HTTP provider shares, so that a wire protocol only supplies what
 * differs: its endpoint and headers, its request body, and how to read its answer and its event
 * stream. The skeleton checks the model and the parameters <em>before</em> any network call,
 * enforces the call timeout, measures latency, prices the usage and names the provider in every
 * failure.
 *
 * <p>Implementations are thread-safe when their hooks are (they are called concurrently).
 *
 * @since 0.1.0
 */
public abstract class HttpLlmProvider implements LlmProvider {

  private final EndpointSettings settings;
  private final HttpTransport transport;
  private final URI endpoint;
  private final Map<String, String> headers;

  /**
   * Creates the provider.
   *
   * @param transport the transport to its endpoint (carrying the settings)
   * @param path the call's path below the base URL, e.g. {@code /chat/completions}
   * @param headers the protocol's headers (authentication, versions); never logged
   */
  protected HttpLlmProvider(HttpTransport transport, String path, Map<String, String> headers) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.settings = transport.settings();
    this.endpoint = settings.endpoint(Objects.requireNonNull(path, "path"));
    this.headers = Map.copyOf(headers);
  }

  /**
   * The endpoint's settings.
   *
   * @return the settings
   */
  protected final EndpointSettings settings() {
    return settings;
  }

  /**
   * The transport, for protocol hooks that parse events.
   *
   * @return the transport
   */
  protected final HttpTransport transport() {
    return transport;
  }

  @Override
  public final String id() {
    return settings.providerId();
  }

  /**
   * The declared models, or, when none are declared, the priced ones; each with its parameter
   * space and price.
   */
  @Override
  public List<ModelInfo> models() {
    List<String> names = settings.models().isEmpty()
        ? List.copyOf(settings.prices().asMap().keySet())
        : settings.models();
    List<ModelInfo> out = new ArrayList<>();
    for (String m : names) {
      PriceTable.Price p = settings.prices().price(m).orElse(null);
      out.add(new ModelInfo(m, space(m), p == null ? Double.NaN : p.inputPerMtok(),
          p == null ? Double.NaN : p.outputPerMtok()));
    }
    return List.copyOf(out);
  }

  @Override
  public final ParameterSpace parameterSpace(String model) {
    settings.requireServed(model);
    return space(model);
  }

  @Override
  public final Completion complete(ChatRequest request, ParameterValues parameters) {
    ObjectNode body = checkedBody(request, parameters, false);
    long start = System.nanoTime();
    JsonNode answer = transport.postJson(request.model(), endpoint, headers, body,
        settings.callTimeout(request.timeout()));
    return parse(request, answer, Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public boolean supportsStreaming() {
    return true;
  }

  @Override
  public final Completion stream(
      ChatRequest request, ParameterValues parameters, Consumer<String> onDelta) {
    Objects.requireNonNull(onDelta, "onDelta");
    ObjectNode body = checkedBody(request, parameters, true);
    StreamAssembler a = assembler(request, onDelta);
    long start = System.nanoTime();
    transport.postEvents(request.model(), endpoint, headers, body,
        settings.callTimeout(request.timeout()), a::onEvent, a.finalEvent);
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    return completion(request, a.text.toString(), a.model,
        a.usage == null ? TokenUsage.NONE : a.usage, a.usage != null, latency, a.attributes);
  }

  /**
   * Builds a completion, pricing the usage by the requested model name, else the name the
   * backend answered with.
   *
   * @param request the request
   * @param text the generated text
   * @param answeredModel the model the backend says answered, or {@code ""}
   * @param usage the usage, or {@link TokenUsage#NONE} with {@code usageKnown} false
   * @param usageKnown whether the backend reported usage (otherwise the cost is unknown)
   * @param latency the call's wall time
   * @param attributes provider-specific facts
   * @return the completion
   */
  protected final Completion completion(ChatRequest request, String text, String answeredModel,
      TokenUsage usage, boolean usageKnown, Duration latency, Map<String, String> attributes) {
    double cost = Double.NaN;
    if (usageKnown) {
      cost = settings.prices().costUsd(request.model(), usage);
      if (Double.isNaN(cost) && !answeredModel.isEmpty()) {
        cost = settings.prices().costUsd(answeredModel, usage);
      }
    }
    return new Completion(text, answeredModel.isEmpty() ? request.model() : answeredModel,
        usage, cost, latency, attributes);
  }

  private ObjectNode checkedBody(ChatRequest request, ParameterValues parameters, boolean stream) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(parameters, "parameters");
    ParameterSpace space = parameterSpace(request.model());
    try {
      space.validate(parameters);
    } catch (InvalidParameterException e) {
      throw new InvalidParameterException(e.parameter(), e.value(), "provider '" + id()
          + "' model '" + request.model() + "': " + e.getMessage());
    }
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.TOOL) {
        throw new ProviderException(id(), ProviderException.Kind.UNSUPPORTED,
            "provider '" + id() + "' cannot send a TOOL turn: the wire protocol needs the tool"
                + " call's id, which ChatMessage does not carry; send tool results as USER turns");
      }
    }
    return body(request, parameters, stream);
  }

  /**
   * The parameter space of a model the endpoint serves.
   *
   * @param model the backend's model name
   * @return the space
   */
  protected abstract ParameterSpace space(String model);

  /**
   * The request body; the parameters are already checked against the space.
   *
   * @param request the request
   * @param parameters the checked parameters
   * @param stream whether to ask for an event stream
   * @return the body
   */
  protected abstract ObjectNode body(
      ChatRequest request, ParameterValues parameters, boolean stream);

  /**
   * Reads a complete answer.
   *
   * @param request the request
   * @param answer the parsed JSON answer
   * @param latency the call's wall time
   * @return the completion
   * @throws ProviderException of kind {@link ProviderException.Kind#MALFORMED_RESPONSE} if the
   *     answer is not the protocol's
   */
  protected abstract Completion parse(ChatRequest request, JsonNode answer, Duration latency);

  /**
   * A fresh assembler for one streamed call.
   *
   * @param request the request
   * @param onDelta receives text deltas
   * @return the assembler
   */
  protected abstract StreamAssembler assembler(ChatRequest request, Consumer<String> onDelta);

  /** Shows the id and endpoint; never the key. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "{id=" + id() + ", baseUrl=" + settings.baseUrl()
        + ", apiKey=" + settings.apiKey().map(Object::toString).orElse("none") + "}";
  }

  /**
   * Assembles one streamed answer from its events: the protocol's subclass reads each event,
   * passes text pieces to {@link #delta(String)}, and records the answering model, the usage and
   * attributes as they arrive. Not thread-safe: one per call.
   *
   * @since 0.1.0
   */
  protected abstract class StreamAssembler {
    private final Consumer<String> onDelta;
    private final String finalEvent;
    private final StringBuilder text = new StringBuilder();
    /** Provider-specific facts, e.g. the finish reason. */
    protected final Map<String, String> attributes = new LinkedHashMap<>();
    /** The model the backend says answers, or {@code ""} until it says. */
    protected String model = "";
    /** The usage, or {@code null} while the stream has reported none (the cost is then NaN). */
    protected TokenUsage usage;

    /**
     * Creates the assembler.
     *
     * @param onDelta receives text pieces
     * @param finalEvent the protocol's final event, for the message when a stream ends early
     */
    protected StreamAssembler(Consumer<String> onDelta, String finalEvent) {
      this.onDelta = onDelta;
      this.finalEvent = finalEvent;
    }

    /**
     * Appends a piece of text and hands it to the caller; empty pieces are dropped.
     *
     * @param piece the text
     */
    protected final void delta(String piece) {
      if (!piece.isEmpty()) {
        text.append(piece);
        onDelta.accept(piece);
      }
    }

    /**
     * Handles one event.
     *
     * @param event the event
     * @return {@code true} on the protocol's final event
     * @throws ProviderException on an in-band error or malformed data
     */
    protected abstract boolean onEvent(SseEvent event);
  }
}
