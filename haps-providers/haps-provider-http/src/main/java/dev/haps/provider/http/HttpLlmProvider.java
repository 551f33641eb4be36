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
import dev.haps.spi.PriceTable;
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
 * The supported base of JSON-over-HTTP provider plugins: a wire protocol supplies only what
 * differs (its path and headers, its parameter space, its request body, how to read its answer
 * and, if it streams, its events), and this class does the rest: it refuses an undeclared model
 * or parameter <em>before</em> any network call, sends the checked values in canonical form,
 * enforces the call's deadline (body and stream included), measures latency, prices the usage
 * from the {@code price.<model>.*} settings, maps every failure through {@link HttpFailures}, and
 * never shows the API key.
 *
 * <p>A plugin that answers in one JSON document needs three methods:
 *
 * <pre>{@code
 * public final class AcmeProviderFactory implements LlmProviderFactory {
 *   public String type() { return "acme"; }
 *   public LlmProvider create(ProviderConfig config) {
 *     // baseUrl, apiKey, timeouts, models, price.<model>.input/output: parsed and checked here
 *     return new AcmeProvider(EndpointSettings.from(config, "https://api.acme.example/v1", true));
 *   }
 * }
 *
 * final class AcmeProvider extends HttpLlmProvider {
 *   AcmeProvider(EndpointSettings settings) {
 *     super(settings, "/generate",
 *         Map.of("Authorization", "Bearer " + settings.apiKey().orElseThrow().reveal()));
 *   }
 *   protected ParameterSpace space(String model) {
 *     return ParameterSpace.of(FloatSpec.of("temperature", 0, 1, 0.7));
 *   }
 *   protected ObjectNode body(ChatRequest request, ParameterValues values, boolean stream) {
 *     ObjectNode body = Json.object().put("model", request.model())
 *         .put("prompt", request.messages().get(request.messages().size() - 1).content());
 *     values.asMap().forEach((name, value) -> Json.put(body, name, value)); // checked values
 *     return body;
 *   }
 *   protected Completion parse(ChatRequest request, JsonNode answer, Duration latency) {
 *     return completion(request, answer.path("text").asText(), Json.text(answer, "model", ""),
 *         new TokenUsage(Json.count(answer, "in"), Json.count(answer, "out")),
 *         answer.has("in"), latency, Map.of());
 *   }
 * }
 * }</pre>
 *
 * <p>Streaming is optional: override {@link #supportsStreaming()} to return {@code true} and
 * {@link #assembler} to read the protocol's events; otherwise {@link #stream} fails with
 * {@link ProviderException.Kind#UNSUPPORTED} before any request. Protocols whose URL depends on
 * the model or on streaming override {@link #endpoint}; rules that tie parameters together (one
 * value only allowed with another) go in {@link #checkParameters}.
 *
 * <p>Implementations are thread-safe when their hooks are (they are called concurrently). This
 * class is supported API for plugin authors: it changes only with a deprecation first.
 * Applications do not use it; they use {@link LlmProvider}.
 *
 * @since 0.1.0
 */
public abstract class HttpLlmProvider implements LlmProvider {

  private final EndpointSettings settings;
  private final HttpTransport transport;
  private final URI endpoint;
  private final Map<String, String> headers;

  /**
   * Creates the provider with a transport of its own for the endpoint.
   *
   * @param settings the endpoint's settings, from {@link EndpointSettings#from}
   * @param path the call's path below the base URL, e.g. {@code /chat/completions}
   * @param headers the protocol's headers (authentication, versions); never logged
   */
  protected HttpLlmProvider(EndpointSettings settings, String path, Map<String, String> headers) {
    this(HttpTransport.create(Objects.requireNonNull(settings, "settings")), path, headers);
  }

  /**
   * Creates the provider over a given transport (for example one with a test clock).
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
    JsonNode answer = transport.postJson(request.model(), endpoint(request, false), headers, body,
        settings.callTimeout(request.timeout()));
    return parse(request, answer, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Whether this protocol streams. The default is {@code false}; a streaming protocol returns
   * {@code true} and implements {@link #assembler}.
   *
   * @return {@code true} if {@link #stream} is supported
   */
  @Override
  public boolean supportsStreaming() {
    return false;
  }

  /**
   * Streams a call, or fails with {@link ProviderException.Kind#UNSUPPORTED} before any request
   * when {@link #supportsStreaming()} is {@code false}.
   */
  @Override
  public final Completion stream(
      ChatRequest request, ParameterValues parameters, Consumer<String> onDelta) {
    Objects.requireNonNull(onDelta, "onDelta");
    if (!supportsStreaming()) {
      throw ProviderException.builder(id(), ProviderException.Kind.UNSUPPORTED)
          .message("provider '" + id() + "' does not support streaming; call complete() instead")
          .build();
    }
    ObjectNode body = checkedBody(request, parameters, true);
    StreamAssembler a = assembler(request, onDelta);
    long start = System.nanoTime();
    transport.postEvents(request.model(), endpoint(request, true), headers, body,
        settings.callTimeout(request.timeout()), a::onEvent, a.finalEvent);
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    return completion(request, a.text.toString(), a.model,
        a.usage == null ? TokenUsage.NONE : a.usage, a.usage != null, latency, a.attributes);
  }

  /**
   * The URL of one call. The default is the base URL plus the constructor's path; protocols
   * that put the model or the streaming mode into the URL override it.
   *
   * @param request the request
   * @param stream whether the call streams
   * @return the URL; never one that carries the API key
   */
  protected URI endpoint(ChatRequest request, boolean stream) {
    return endpoint;
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
    Completion.Builder b = Completion.builder(text,
        answeredModel.isEmpty() ? request.model() : answeredModel)
        .latency(latency).attributes(attributes);
    if (usageKnown) {
      b.usage(usage);
      PriceTable prices = settings.prices();
      prices.price(request.model()).or(() -> prices.price(answeredModel)).ifPresent(b::price);
    }
    return b.build();
  }

  private ObjectNode checkedBody(ChatRequest request, ParameterValues parameters, boolean stream) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(parameters, "parameters");
    settings.requireServed(request.model());
    ParameterValues checked;
    try {
      checked = checkParameters(request, parameters);
    } catch (InvalidParameterException e) {
      String prefix = "provider '" + id() + "' model '" + request.model() + "': ";
      throw e.getMessage().startsWith(prefix) ? e
          : new InvalidParameterException(e.parameter(), e.value(), prefix + e.getMessage());
    }
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.TOOL) {
        throw ProviderException.builder(id(), ProviderException.Kind.UNSUPPORTED)
            .message("provider '" + id() + "' cannot send a TOOL turn: the wire protocol needs"
                + " the tool call's id, which ChatMessage does not carry; send tool results as"
                + " USER turns")
            .build();
      }
    }
    return body(request, checked, stream);
  }

  /**
   * Checks a call's parameters before anything is sent and returns them in canonical form (ints
   * as {@link Long}, floats as {@link Double}). The default checks them against
   * {@link #space(String)}. Protocols with rules that tie parameters together override it, call
   * {@code super}, then check the combination; a message that does not start with
   * {@code "provider '<id>' model '<model>': "} gets that prefix.
   *
   * @param request the request
   * @param given the values the caller gave
   * @return the checked values, in canonical form; the body is built from these
   * @throws InvalidParameterException naming the parameter, the value and the rule it broke
   */
  protected ParameterValues checkParameters(ChatRequest request, ParameterValues given) {
    return space(request.model()).validate(given);
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
   * A fresh assembler for one streamed call. Only called when {@link #supportsStreaming()} is
   * {@code true}; the default fails, so protocols that do not stream need not implement it.
   *
   * @param request the request
   * @param onDelta receives text deltas
   * @return the assembler
   * @throws ProviderException of kind {@link ProviderException.Kind#UNSUPPORTED} by default
   */
  protected StreamAssembler assembler(ChatRequest request, Consumer<String> onDelta) {
    throw ProviderException.builder(id(), ProviderException.Kind.UNSUPPORTED)
        .message("provider '" + id() + "' (" + getClass().getSimpleName() + ") says it streams"
            + " but implements no assembler(); override assembler() or supportsStreaming()")
        .build();
  }

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
