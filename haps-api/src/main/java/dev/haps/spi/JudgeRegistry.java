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
 * The judge factories installed on a class path, found through {@link ServiceLoader}.
 *
 * <p>Two factories claiming the same type fail loudly, naming both classes: there is no silent
 * "first one wins". Asking for a type nobody installed lists the types that are installed.
 *
 * <pre>{@code
 * JudgeRegistry judges = JudgeRegistry.load();
 * try (Judge exact = judges.create(JudgeConfig.of("exact"), JudgeContext.none())) {
 *   Verdict v = exact.grade(JudgeRequest.of("q1", "2 + 2?", "4", "4"));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class JudgeRegistry {

  private final Map<String, JudgeFactory> factories;

  private JudgeRegistry(Map<String, JudgeFactory> factories) {
    this.factories = Collections.unmodifiableMap(factories);
  }

  /**
   * Discovers factories with the thread's context class loader (or this class's loader if there
   * is none).
   *
   * @return the registry
   * @throws ConfigurationException if two factories claim one type or a factory fails to load
   */
  public static JudgeRegistry load() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(cl != null ? cl : JudgeRegistry.class.getClassLoader());
  }

  /**
   * Discovers factories with a given class loader.
   *
   * @param loader where to look for {@code META-INF/services/dev.haps.spi.JudgeFactory}
   * @return the registry
   * @throws ConfigurationException if two factories claim one type or a factory fails to load
   */
  public static JudgeRegistry load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    List<JudgeFactory> found = new ArrayList<>();
    try {
      for (JudgeFactory f : ServiceLoader.load(JudgeFactory.class, loader)) {
        found.add(f);
      }
    } catch (ServiceConfigurationError e) {
      throw new ConfigurationException("a judge plugin failed to load: " + e.getMessage()
          + "; check its META-INF/services/" + JudgeFactory.class.getName()
          + " entry and that the class has a public no-argument constructor", e);
    }
    return of(found);
  }

  /**
   * A registry of explicitly given factories.
   *
   * @param factories the factories
   * @return the registry
   * @throws ConfigurationException if two factories claim one type, or one has a blank type
   */
  public static JudgeRegistry of(List<? extends JudgeFactory> factories) {
    Map<String, JudgeFactory> m = new LinkedHashMap<>();
    for (JudgeFactory f : factories) {
      String type = f.type();
      if (type == null || type.isBlank()) {
        throw new ConfigurationException("judge factory " + f.getClass().getName()
            + " has a blank type(); give it a stable, unique type name");
      }
      JudgeFactory prior = m.putIfAbsent(type, f);
      if (prior != null) {
        throw new ConfigurationException("two judge factories claim type '" + type + "': "
            + prior.getClass().getName() + " and " + f.getClass().getName()
            + "; remove one of the jars from the class path");
      }
    }
    return new JudgeRegistry(m);
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
   * @param type the type, e.g. {@code exact}
   * @return the factory
   * @throws ConfigurationException if no installed factory claims the type, listing those that do
   */
  public JudgeFactory factory(String type) {
    JudgeFactory f = factories.get(type);
    if (f == null) {
      throw new ConfigurationException("no judge of type '" + type + "' is installed;"
          + " installed: " + factories.keySet() + ". Pick one of those, or add the plugin that"
          + " provides '" + type + "' to the class path");
    }
    return f;
  }

  /**
   * Creates a judge.
   *
   * @param config the judge's type and settings
   * @param context what the judge may call
   * @return the judge
   * @throws ConfigurationException if the type is unknown or a setting is wrong
   */
  public Judge create(JudgeConfig config, JudgeContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    return factory(config.type()).create(config, context);
  }

  @Override
  public String toString() {
    return "JudgeRegistry" + factories.keySet();
  }
}
