package dev.haps.spi;

import dev.haps.api.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The provider factories installed on a class path, found through {@link ServiceLoader}.
 *
 * <p>Two factories claiming the same type fail loudly, naming both classes: there is no silent
 * "first one wins". Asking for a type nobody installed lists the types that are installed.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ProviderRegistry {

  private final Map<String, LlmProviderFactory> factories;

  private ProviderRegistry(Map<String, LlmProviderFactory> factories) {
    this.factories = Collections.unmodifiableMap(factories);
  }

  /**
   * Discovers factories with the thread's context class loader (or this class's loader if there
   * is none).
   *
   * @return the registry
   * @throws ConfigurationException if two factories claim one type or a factory fails to load
   */
  public static ProviderRegistry load() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(cl != null ? cl : ProviderRegistry.class.getClassLoader());
  }

  /**
   * Discovers factories with a given class loader.
   *
   * @param loader where to look for {@code META-INF/services/dev.haps.spi.LlmProviderFactory}
   * @return the registry
   * @throws ConfigurationException if two factories claim one type or a factory fails to load
   */
  public static ProviderRegistry load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    List<LlmProviderFactory> found = new ArrayList<>();
    try {
      for (LlmProviderFactory f : ServiceLoader.load(LlmProviderFactory.class, loader)) {
        found.add(f);
      }
    } catch (ServiceConfigurationError e) {
      throw new ConfigurationException("a provider plugin failed to load: " + e.getMessage()
          + "; check its META-INF/services/" + LlmProviderFactory.class.getName()
          + " entry and that the class has a public no-argument constructor", e);
    }
    return of(found);
  }

  /**
   * A registry of explicitly given factories.
   *
   * @param factories the factories
   * @return the registry
   * @throws ConfigurationException if two factories claim one type
   */
  public static ProviderRegistry of(List<? extends LlmProviderFactory> factories) {
    Map<String, LlmProviderFactory> m = new LinkedHashMap<>();
    for (LlmProviderFactory f : factories) {
      String type = f.type();
      if (type == null || type.isBlank()) {
        throw new ConfigurationException("provider factory " + f.getClass().getName()
            + " has a blank type(); give it a stable, unique type name");
      }
      LlmProviderFactory prior = m.putIfAbsent(type, f);
      if (prior != null) {
        throw new ConfigurationException("two provider factories claim type '" + type + "': "
            + prior.getClass().getName() + " and " + f.getClass().getName()
            + "; remove one of the jars from the class path");
      }
    }
    return new ProviderRegistry(m);
  }

  /**
   * The installed types, in discovery order.
   *
   * @return the types
   */
  public List<String> types() {
    return List.copyOf(factories.keySet());
  }

  /**
   * Whether a type is installed.
   *
   * @param type the type
   * @return {@code true} if a factory claims it
   */
  public boolean has(String type) {
    return factories.containsKey(type);
  }

  /**
   * The factory of a type.
   *
   * @param type the type, e.g. {@code openai}
   * @return the factory
   * @throws ConfigurationException if no installed factory claims the type, listing those that do
   */
  public LlmProviderFactory factory(String type) {
    LlmProviderFactory f = factories.get(type);
    if (f == null) {
      throw new ConfigurationException("no provider of type '" + type + "' is installed;"
          + " installed: " + factories.keySet() + ". Add the haps-provider-" + type
          + " jar (or the plugin that provides it) to the class path");
    }
    return f;
  }

  /**
   * Creates a provider instance of a type.
   *
   * @param type the type
   * @param config the instance's settings
   * @return the provider
   * @throws ConfigurationException if the type is unknown or a setting is wrong
   */
  public LlmProvider create(String type, ProviderConfig config) {
    return factory(type).create(config);
  }

  @Override
  public String toString() {
    return "ProviderRegistry" + factories.keySet();
  }
}
