package dev.haps.provider.replay;

import dev.haps.api.error.ConfigurationException;
import dev.haps.data.OutcomeLog;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.LlmProviderFactory;
import dev.haps.spi.ProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@link ReplayProvider}s; registered for {@link java.util.ServiceLoader} under type
 * {@value #TYPE}.
 *
 * <p>Settings:
 *
 * <ul>
 *   <li>{@code data} (optional): a directory holding {@code candidates.json} and
 *       {@code outcomes.jsonl}. Absent: the bundled {@code concise-cot} log.
 * </ul>
 *
 * @since 0.1.0
 */
public final class ReplayProviderFactory implements LlmProviderFactory {

  /** The provider type configuration files name. */
  public static final String TYPE = "replay";

  /** The setting naming the outcome-log directory. */
  public static final String DATA = "data";

  private static final Logger LOG = LoggerFactory.getLogger(ReplayProviderFactory.class);

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public ReplayProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "replay: answers from a recorded outcome log, in-process, no network or key"
        + " (default data: the bundled concise-cot log)";
  }

  /**
   * Creates a replay provider over the configured log.
   *
   * @param config the instance id and its settings
   * @return the provider
   * @throws ConfigurationException if {@code data} is blank, not a directory, or holds a
   *     malformed log (the message names the file and line)
   */
  @Override
  public LlmProvider create(ProviderConfig config) {
    Objects.requireNonNull(config, "config");
    for (String name : config.names()) {
      if (!name.equals(DATA)) {
        LOG.warn("provider '{}' (type replay) ignores setting '{}'; replay knows only '{}'",
            config.id(), name, DATA);
      }
    }
    Optional<String> data = config.get(DATA);
    if (data.isEmpty()) {
      return ReplayProvider.bundled(config.id());
    }
    String dir = data.get().trim();
    if (dir.isEmpty()) {
      throw new ConfigurationException("provider '" + config.id() + "' setting 'data' is blank;"
          + " give a directory holding candidates.json and outcomes.jsonl, or remove the"
          + " setting to use the bundled concise-cot log");
    }
    Path path = Paths.get(dir);
    if (!Files.isDirectory(path)) {
      throw new ConfigurationException("provider '" + config.id() + "' setting 'data' = '" + dir
          + "' is not a directory; give a directory holding candidates.json and"
          + " outcomes.jsonl, or remove the setting to use the bundled concise-cot log");
    }
    return ReplayProvider.of(config.id(), OutcomeLog.load(path));
  }
}
