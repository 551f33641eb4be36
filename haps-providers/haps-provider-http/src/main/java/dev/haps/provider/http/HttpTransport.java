package dev.haps.provider.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.error.ProviderException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to one HTTP endpoint with the JDK {@link HttpClient} and reads the answer, either as
 * one JSON document or as server-sent events. The call's timeout covers the whole exchange: the
 * connection, the headers <em>and</em> the body, so a server that sends headers and then stalls
 * is cut off in time too (the JDK's request timeout alone stops at the headers).
 *
 * <p>Every failure leaves as a {@link ProviderException} classified by {@link HttpFailures}.
 * Nothing here logs headers or bodies: the log shows the endpoint, the model, the status and
 * the time taken, never the key.
 *
 * <p>Thread-safe: share one transport per provider instance. Deadlines are enforced by one
 * daemon thread shared by all transports, and transports with the same connect timeout share
 * one JDK client (and its connection pool), so creating and dropping providers costs no
 * threads.
 *
 * @since 0.1.0
 */
public final class HttpTransport {

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
  private static final int MAX_ERROR_BODY = 64 * 1024;
  /** A JSON answer larger than this is refused rather than buffered: no chat answer is that big. */
  static final int MAX_BODY = 32 * 1024 * 1024;
  private static final String USER_AGENT = "haps-java/0.1.0";
  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
  /**
   * One JDK client per connect timeout, shared by every transport: a JDK 17 HttpClient cannot be
   * closed and keeps a selector thread until it is collected, so clients made per provider would
   * pile up threads in applications that create and drop providers.
   */
  private static final ConcurrentHashMap<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private final EndpointSettings settings;
  private final HttpClient client;
  private final Clock clock;

  private HttpTransport(EndpointSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.client = CLIENTS.computeIfAbsent(settings.connectTimeout(), t -> HttpClient.newBuilder()
        .connectTimeout(t)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build());
  }

  /**
   * A transport for an endpoint, measuring HTTP-date {@code Retry-After} against the system clock.
   *
   * @param settings the endpoint's settings
   * @return the transport
   */
  public static HttpTransport create(EndpointSettings settings) {
    return create(settings, Clock.systemUTC());
  }

  /**
   * A transport for an endpoint.
   *
   * @param settings the endpoint's settings
   * @param clock the clock HTTP-date {@code Retry-After} values are measured against
   * @return the transport
   */
  public static HttpTransport create(EndpointSettings settings, Clock clock) {
    return new HttpTransport(
        Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * The endpoint's settings.
   *
   * @return the settings
   */
  public EndpointSettings settings() {
    return settings;
  }

  /**
   * POSTs a JSON body and parses the JSON answer.
   *
   * @param model the backend model, for messages
   * @param uri the endpoint
   * @param headers extra headers (authentication, versions); never logged
   * @param body the request body
   * @param timeout the limit on the whole call
   * @return the parsed answer of a 2xx response
   * @throws ProviderException classified by {@link HttpFailures}
   */
  public JsonNode postJson(String model, URI uri, Map<String, String> headers, ObjectNode body,
      Duration timeout) {
    long start = System.nanoTime();
    try (Exchange x = open(model, uri, headers, body, timeout, "application/json")) {
      byte[] bytes = x.readAll(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw HttpFailures.malformed(settings.providerId(), model,
            "the answer exceeds " + MAX_BODY + " bytes", null);
      }
      try {
        JsonNode json = Json.parse(bytes);
        LOG.debug("provider {} model {}: HTTP {} in {} ms", settings.providerId(), model,
            x.status, millisSince(start));
        return json;
      } catch (IOException e) {
        throw HttpFailures.malformed(settings.providerId(), model,
            "the body is not JSON (" + bytes.length + " bytes)", e);
      }
    } catch (IOException e) {
      throw fail(model, uri, e, timeout);
    } catch (ProviderException e) {
      logFailure(model, e, start);
      throw e;
    }
  }

  /**
   * POSTs a JSON body and reads the answer as server-sent events until the handler reports the
   * stream complete.
   *
   * @param model the backend model, for messages
   * @param uri the endpoint
   * @param headers extra headers (authentication, versions); never logged
   * @param body the request body
   * @param timeout the limit on the whole call, stream included
   * @param handler receives each event; returns {@code true} on the protocol's final event
   * @param finalEvent the protocol's final event, for the message when the stream ends without it
   * @throws ProviderException classified by {@link HttpFailures}; a stream that ends before the
   *     final event is {@link ProviderException.Kind#MALFORMED_RESPONSE}
   */
  public void postEvents(String model, URI uri, Map<String, String> headers, ObjectNode body,
      Duration timeout, EventHandler handler, String finalEvent) {
    long start = System.nanoTime();
    try (Exchange x = open(model, uri, headers, body, timeout, "text/event-stream")) {
      SseReader reader = new SseReader(x.body);
      int events = 0;
      Optional<SseEvent> e;
      while ((e = reader.next()).isPresent()) {
        events++;
        if (handler.onEvent(e.get())) {
          LOG.debug("provider {} model {}: HTTP {} stream of {} events in {} ms",
              settings.providerId(), model, x.status, events, millisSince(start));
          return;
        }
      }
      throw HttpFailures.malformed(settings.providerId(), model,
          "the event stream ended after " + events + " events without " + finalEvent, null);
    } catch (IOException e) {
      throw fail(model, uri, e, timeout);
    } catch (ProviderException e) {
      logFailure(model, e, start);
      throw e;
    }
  }

  /**
   * Parses one event's data as JSON.
   *
   * @param model the backend model, for messages
   * @param event the event
   * @return the JSON tree
   * @throws ProviderException of kind {@link ProviderException.Kind#MALFORMED_RESPONSE} if the
   *     data is not JSON
   */
  public JsonNode eventJson(String model, SseEvent event) {
    try {
      return Json.parse(event.data());
    } catch (IOException e) {
      throw HttpFailures.malformed(settings.providerId(), model,
          "event '" + event.event() + "' carries data that is not JSON", e);
    }
  }

  private ProviderException fail(String model, URI uri, IOException e, Duration timeout) {
    ProviderException pe = HttpFailures.io(settings.providerId(), model, uri, e, timeout,
        settings.apiKey().orElse(null));
    LOG.debug("provider {} model {}: {} ({})", settings.providerId(), model, pe.kind(),
        e.getClass().getSimpleName());
    return pe;
  }

  private void logFailure(String model, ProviderException e, long start) {
    LOG.debug("provider {} model {}: {} status {} after {} ms", settings.providerId(), model,
        e.kind(), e.status(), millisSince(start));
  }

  private Exchange open(String model, URI uri, Map<String, String> headers, ObjectNode body,
      Duration timeout, String accept) throws IOException {
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("request body does not serialise", e);
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        // Plain-HTTP local servers (vLLM, llama.cpp, Ollama) choke on an h2c upgrade offer.
        .version("http".equalsIgnoreCase(uri.getScheme())
            ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
        .header("Content-Type", "application/json")
        .header("Accept", accept)
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    headers.forEach(rb::header);
    LOG.debug("provider {} model {}: POST {} ({} bytes, timeout {} ms)", settings.providerId(),
        model, uri, bytes.length, timeout.toMillis());
    long start = System.nanoTime();
    // The blocking send, not sendAsync(...).get(timeout): the future sendAsync hands back is
    // completed through the client's executor before the caller wakes, a thread hand-off that
    // send does not make (measured: about 0.2 ms of the server overhead in haps-bench's
    // ServeBench). The request's own timeout bounds the wait for the headers
    // (HttpTimeoutException, classified as the deadline); the body read below has the
    // deadline's remainder.
    HttpResponse<InputStream> response;
    try {
      response = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(settings.providerId(), ProviderException.Kind.CONNECTION, 0,
          null, "provider '" + settings.providerId() + "' model '" + model
              + "': the calling thread was interrupted; the call was abandoned", e);
    }
    Duration left = timeout.minusNanos(System.nanoTime() - start);
    Exchange x = new Exchange(response, left, timeout);
    if (x.status / 100 != 2) {
      try (x) {
        byte[] err = x.readAll(MAX_ERROR_BODY);
        throw HttpFailures.status(settings.providerId(), model, x.status, x.headers, err,
            settings.apiKey().orElse(null), clock);
      }
    }
    return x;
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "haps-http-deadline");
      t.setDaemon(true);
      return t;
    });
    ex.setRemoveOnCancelPolicy(true);
    return ex;
  }

  /**
   * Receives server-sent events.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  public interface EventHandler {
    /**
     * Handles one event.
     *
     * @param event the event
     * @return {@code true} when this was the protocol's final event
     * @throws ProviderException to abort the stream with a classified failure
     */
    boolean onEvent(SseEvent event);
  }

  /** One read of the underlying stream. */
  @FunctionalInterface
  private interface Read {
    int read() throws IOException;
  }

  /** An open response whose body must be read before the deadline; closing releases it. */
  private static final class Exchange implements AutoCloseable {
    final int status;
    final HttpHeaders headers;
    final DeadlineStream body;

    Exchange(HttpResponse<InputStream> response, Duration left, Duration timeout) {
      this.status = response.statusCode();
      this.headers = response.headers();
      this.body = new DeadlineStream(response.body(), left, timeout);
    }

    byte[] readAll(int limit) throws IOException {
      return body.readNBytes(limit);
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /**
   * A body stream that fails with {@link HttpFailures.DeadlineExceededException} once the call's
   * deadline passes: the watchdog closes the underlying stream, which unblocks a waiting read.
   */
  private static final class DeadlineStream extends FilterInputStream {
    private final Duration timeout;
    private final ScheduledFuture<?> alarm;
    private volatile boolean expired;

    DeadlineStream(InputStream in, Duration left, Duration timeout) {
      super(in);
      this.timeout = timeout;
      this.alarm = WATCHDOG.schedule(this::expire, Math.max(0, left.toNanos()),
          TimeUnit.NANOSECONDS);
    }

    private void expire() {
      expired = true;
      try {
        in.close();
      } catch (IOException ignored) {
        // The reader learns of the deadline from the flag; a failing close changes nothing.
      }
    }

    private IOException deadline(IOException cause) {
      IOException e = new HttpFailures.DeadlineExceededException(timeout);
      if (cause != null) {
        e.initCause(cause);
      }
      return e;
    }

    @Override
    public int read() throws IOException {
      return guarded(in::read);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return guarded(() -> in.read(b, off, len));
    }

    /** A read that reports the deadline, not EOF or "closed", once the watchdog has fired. */
    private int guarded(Read read) throws IOException {
      if (expired) {
        throw deadline(null);
      }
      try {
        int r = read.read();
        if (r < 0 && expired) {
          throw deadline(null);
        }
        return r;
      } catch (IOException e) {
        throw expired ? deadline(e) : e;
      }
    }

    @Override
    public void close() throws IOException {
      alarm.cancel(false);
      in.close();
    }
  }
}
