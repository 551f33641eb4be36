package dev.haps.serve;

import dev.haps.api.error.BundleException;
import dev.haps.api.error.ConfigurationException;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.MicroBatching;
import dev.haps.runtime.RouterBundle;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code haps serve}: an OpenAI-compatible HTTP endpoint (Jetty 12) in front of a {@link
 * dev.haps.client.RoutingClient}. {@code POST /v1/chat/completions} with {@code "model": "haps"}
 * (or {@code haps:<cost weight>}, or a configured alias) routes the request to a candidate and
 * its parameters and calls it; a candidate's own id passes the request through to it. Streaming
 * and non-streaming, tools and response formats (forwarded to OpenAI-compatible backends); the
 * decision travels in {@code x-haps-*} headers and a {@code haps} field of the response. Also
 * {@code GET /v1/models}, {@code POST /v1/feedback}, {@code GET /health}, {@code /ready},
 * {@code /metrics} (Prometheus), {@code POST /admin/reload}. See {@code docs/serve.md}.
 *
 * <pre>{@code
 * try (HapsServer server = HapsServer.start(ServeConfig.read(Path.of("serve.json")))) {
 *   System.out.println("listening on " + server.url());
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p><b>Safety.</b> API keys are required unless switched off; they are compared as SHA-256
 * hashes in constant time. Each key has a token-bucket rate limit (429 with
 * {@code Retry-After}). Bodies and headers are size-limited; headers and bodies must arrive within
 * their timeouts (408), so slow clients hold a connection, never a thread. Upstream keys are never
 * logged or echoed. Binds to 127.0.0.1 unless configured otherwise; TLS from a PKCS#12 store.
 *
 * <p><b>Lifecycle.</b> {@link #reload()} swaps in the bundle again from disk without dropping a
 * request; {@link #close()} stops accepting, lets the requests in flight finish within the drain
 * timeout, then closes the client and the router. Thread-safe.
 *
 * @since 0.1.0
 */
public final class HapsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HapsServer.class);

  private final ServeConfig config;
  private final HapsRouter router;
  private final boolean ownsRouter;
  private final ClientAssembly assembly;
  private final ServeMetrics metrics;
  private final SlowHeaderGuard guard;
  private final Server server;
  private final ServerConnector connector;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object reloadLock = new Object();

  private HapsServer(ServeConfig config, HapsRouter router, boolean ownsRouter) {
    this.config = config;
    this.router = router;
    this.ownsRouter = ownsRouter;
    this.metrics = new ServeMetrics();
    this.assembly = ClientAssembly.build(config, new CapturingRouter(router), metrics);
    metrics.bind(assembly.providers.keySet(), () -> assembly.client, router);
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(config.threads, config.threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(Math.max(1000, config.threads * 50)), r -> {
          Thread t = new Thread(r, "haps-serve-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    workers.allowCoreThreadTimeOut(true);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "haps-serve-timer");
      t.setDaemon(true);
      return t;
    });
    this.guard = new SlowHeaderGuard(config.limits.headerTimeout());

    QueuedThreadPool pool = new QueuedThreadPool(64, 8);
    pool.setName("haps-serve-jetty");
    pool.setDaemon(true);
    server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(config.limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setIdleTimeout(config.limits.idleTimeout().toMillis());
    HttpConnectionFactory h1 = new HttpConnectionFactory(http);
    if (config.tls != null) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      if (!Files.isReadable(config.tls.keyStore())) {
        throw new ConfigurationException("TLS key store " + config.tls.keyStore()
            + " cannot be read; give server.tls.keyStore (or HAPS_SERVE_TLS_KEYSTORE) the path"
            + " of a PKCS#12 file");
      }
      ssl.setKeyStorePath(config.tls.keyStore().toAbsolutePath().toString());
      ssl.setKeyStoreType("PKCS12");
      ssl.setKeyStorePassword(config.tls.password());
      connector = new ServerConnector(server, ssl, h1);
    } else {
      connector = new ServerConnector(server, h1);
    }
    connector.setHost(config.host);
    connector.setPort(config.port);
    connector.setIdleTimeout(config.limits.idleTimeout().toMillis());
    // Jetty shortens every connection's idle timeout to this when a graceful stop begins
    // (1 s by default): a request still queued for a worker would then be failed and its answer
    // cut off. The drain deadline is what bounds the stop.
    connector.setShutdownIdleTimeout(Math.max(config.limits.idleTimeout().toMillis(),
        config.drainTimeout.toMillis()));
    connector.setAcceptQueueSize(4096);
    connector.addEventListener(guard);
    server.addConnector(connector);
    if (config.limits.maxConnections() > 0) {
      server.addBean(new NetworkConnectionLimit(config.limits.maxConnections(), connector));
    }
    ServeHandler.Context cx = new ServeHandler.Context(config,
        new ApiKeys(config.apiKeys), new ApiKeys(config.adminKeys),
        new RateLimiter(config.rateLimit), metrics, new AccessLog(config.accessLog), guard,
        router, () -> assembly, workers, scheduler, ready::get, this::reloadBundle);
    GracefulHandler graceful = new GracefulHandler(
        new ServeHandler(cx, new ChatRouting(config, assembly.candidates)));
    graceful.setShutdownIdleTimeout(Math.max(config.limits.idleTimeout().toMillis(),
        config.drainTimeout.toMillis()));
    server.setHandler(graceful);
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(config.drainTimeout.toMillis());
    server.setStopAtShutdown(false);
  }

  /**
   * Starts a server: loads the bundle, builds the routing client and binds the port.
   *
   * @param config the configuration
   * @return the running server
   * @throws ConfigurationException if the configuration cannot be served or the port is taken
   * @throws BundleException if the bundle is invalid
   */
  public static HapsServer start(ServeConfig config) {
    Objects.requireNonNull(config, "config");
    HapsRouter router = buildRouter(config);
    try {
      return start(config, router, true);
    } catch (RuntimeException e) {
      router.close();
      throw e;
    }
  }

  /**
   * Starts a server on a router built elsewhere (tests, or an application that embeds the
   * server); the server does not close it, and the configuration's bundle is ignored.
   *
   * @param config the configuration
   * @param router the router
   * @return the running server
   * @throws ConfigurationException if the configuration cannot be served or the port is taken
   */
  public static HapsServer start(ServeConfig config, HapsRouter router) {
    return start(Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(router, "router"), false);
  }

  private static HapsServer start(ServeConfig config, HapsRouter router, boolean owns) {
    HapsServer s = new HapsServer(config, router, owns);
    try {
      s.server.start();
      s.scheduler.scheduleWithFixedDelay(s.guard::sweep, s.guard.sweepMillis(),
          s.guard.sweepMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      s.closeQuietly();
      throw new ConfigurationException("haps serve cannot listen on " + config.host + ":"
          + config.port + " (" + e.getMessage() + "); choose another port with --port or"
          + " server.port", e);
    }
    s.ready.set(true);
    LOG.info("haps serve listening on {} with bundle {} ({} API key{}, rate limit {})",
        s.url(), router.bundle(), config.apiKeys.size(), config.apiKeys.size() == 1 ? "" : "s",
        config.rateLimit);
    if (!config.requireApiKey) {
      LOG.warn("haps serve accepts requests WITHOUT an API key (requireApiKey=false)");
    }
    return s;
  }

  private static HapsRouter buildRouter(ServeConfig config) {
    HapsRouter.Builder b = HapsRouter.builder();
    if (config.bundle != null) {
      b.bundle(config.bundle);
    } else {
      b.bundle(RouterBundle.fromClasspath(HapsRouter.DEFAULT_BUNDLE));
    }
    if (config.batching.enabled()) {
      b.microBatching(MicroBatching.of(config.batching.maxBatch(), config.batching.maxWait()));
    }
    return b.build();
  }

  /**
   * The root URL, e.g. {@code http://127.0.0.1:8080}.
   *
   * @return the URL
   */
  public URI url() {
    String host = config.host.contains(":") ? "[" + config.host + "]" : config.host;
    return URI.create((config.tls != null ? "https" : "http") + "://" + host + ":" + port());
  }

  /**
   * The port bound (the actual one when the configuration asked for 0).
   *
   * @return the port
   */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * Whether the server accepts requests: started, bundle loaded, not shutting down.
   *
   * @return {@code true} when ready
   */
  public boolean isReady() {
    return ready.get() && !closed.get();
  }

  /**
   * The router this server routes with.
   *
   * @return the router
   */
  public HapsRouter router() {
    return router;
  }

  /**
   * Loads the configured bundle again from disk and swaps it in; requests in flight finish on
   * the old one, new ones use the new one, none is dropped. A bundle that fails validation is not
   * swapped in and the old one keeps serving.
   *
   * @return the new bundle's id and version
   * @throws BundleException if the new bundle is invalid (the old one keeps serving)
   * @throws ConfigurationException if the server routes with the SDK's built-in bundle, which
   *     cannot change on disk
   */
  public String reload() {
    return reloadBundle();
  }

  /**
   * Swaps in another bundle, as {@link #reload()} does.
   *
   * @param bundle a bundle folder or zip
   * @return the new bundle's id and version
   * @throws BundleException if the bundle is invalid (the old one keeps serving)
   */
  public String reload(Path bundle) {
    Objects.requireNonNull(bundle, "bundle");
    synchronized (reloadLock) {
      router.reload(bundle);
      LOG.info("haps serve swapped in bundle {} from {}", router.bundle(), bundle);
      return router.bundle().toString();
    }
  }

  private String reloadBundle() {
    if (config.bundle == null) {
      throw new ConfigurationException("this server routes with the SDK's built-in bundle, so"
          + " there is nothing to reload; start it with --bundle (or \"bundle\") to reload one"
          + " from disk");
    }
    return reload(config.bundle);
  }

  /**
   * Blocks until the server has stopped (after {@link #close()} from another thread).
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitStop() throws InterruptedException {
    server.join();
  }

  /**
   * Stops gracefully: the server stops accepting, requests in flight finish (within the drain
   * timeout), then the client, its providers and (if the server built it) the router close.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready.set(false);
    long t0 = System.nanoTime();
    LOG.info("haps serve stopping: draining {} request(s) in flight (at most {} ms)",
        metrics.inFlight.get(), config.drainTimeout.toMillis());
    quiesce();
    closeQuietly();
    LOG.info("haps serve stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Stops accepting connections, then keeps serving the open ones until no new request has
   * arrived for a moment (at most a quarter of the drain timeout, 5 s at most): requests clients
   * had already sent are read and answered instead of being cut off with their connection. The
   * graceful stop that follows answers late ones with 503 and waits for those in flight.
   */
  private void quiesce() {
    connector.setAccepting(false);
    long until = System.nanoTime()
        + Math.min(config.drainTimeout.toNanos() / 4, TimeUnit.SECONDS.toNanos(5));
    long seen = metrics.accepted.sum();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < until
        && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(300)) {
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long now = metrics.accepted.sum();
      if (now != seen) {
        seen = now;
        quietSince = System.nanoTime();
      }
    }
  }

  private void closeQuietly() {
    // While the graceful stop waits for connections to close, close those that fall idle.
    ScheduledFuture<?> idleCloser = scheduler.scheduleWithFixedDelay(guard::closeIdle, 0, 50,
        TimeUnit.MILLISECONDS);
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping the HTTP server failed: {}", e.toString());
    } finally {
      idleCloser.cancel(false);
    }
    workers.shutdown();
    try {
      workers.awaitTermination(config.drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
    try {
      assembly.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the routing client failed: {}", e.toString());
    }
    if (ownsRouter) {
      router.close();
    }
  }

  /** Connections the header guard tracks, for tests in this package. */
  int guardOpen() {
    return guard.openConnections();
  }

  /** The server's meters, for tests in this package. */
  ServeMetrics metrics() {
    return metrics;
  }

  @Override
  public String toString() {
    return "HapsServer{" + (closed.get() ? "closed" : url()) + ", " + config + "}";
  }

  /** Errors Jetty answers itself (bad request line, headers too large...) as OpenAI JSON. */
  private static final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus() >= 400 ? response.getStatus() : 500;
      String message = String.valueOf(request.getAttribute(ERROR_MESSAGE));
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(body(status, message)), callback);
      return true;
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
        Throwable cause) {
      writer.write(new String(body(code, message), StandardCharsets.UTF_8));
    }

    private static byte[] body(int status, String message) {
      if (status == 503) { // Jetty's graceful stop refusing a request that came too late
        return ApiError.body(503, "service_unavailable", "shutting_down", null, "the server"
            + " is shutting down; retry on another instance").toString()
            .getBytes(StandardCharsets.UTF_8);
      }
      String m = message == null || message.equals("null") ? "HTTP " + status : message;
      return ApiError.body(status, ApiError.typeOf(status), status == 431
              ? "headers_too_large" : null, null, "the server refused the request: " + m)
          .toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
