package dev.haps.serve;

import dev.haps.api.Router;
import dev.haps.client.ClientConfigLoader;
import dev.haps.client.RoutingClient;
import dev.haps.data.internal.JsonConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the routing client from the client part of the configuration with haps-client's own
 * reader ({@link ClientConfigLoader}: the same keys, meaning and messages as
 * {@code RoutingClient.fromConfig}, docs/routing-client.md), with every provider wrapped in a
 * {@link ServeProvider} so that OpenAI-compatible backends receive the client's raw body.
 */
final class ClientAssembly {

  final RoutingClient client;
  final Map<String, ServeProvider> providers;
  final ChatRouting.CandidateMap candidates;

  private ClientAssembly(RoutingClient client, Map<String, ServeProvider> providers) {
    this.client = client;
    this.providers = providers;
    this.candidates = new ChatRouting.CandidateMap(client, providers);
  }

  static ClientAssembly build(ServeConfig config, Router router, ServeMetrics metrics) {
    JsonConfigReader r = config.reader;
    Map<String, ServeProvider> providers = new LinkedHashMap<>();
    ClientConfigLoader loader = ClientConfigLoader.fromJson(config.client.toString(), r.file())
        .environment(r.env().orElseThrow())
        .router(router)
        .decorateProviders((type, pc, delegate) -> {
          ServeProvider.Forwarder fw = type.equals("openai") ? ServeProvider.Forwarder.of(pc)
              : null;
          ServeProvider p = new ServeProvider(delegate, fw, metrics);
          providers.put(pc.id(), p);
          return p;
        });
    r.baseDir().ifPresent(loader::baseDirectory);
    RoutingClient client = loader.load();
    return new ClientAssembly(client, Map.copyOf(providers));
  }

  /** Closes the client, which closes every provider it created. */
  void close() {
    client.close();
  }
}
