package dev.haps.spi;

/**
 * Creates {@link Judge}s of one type. Implementations are found through
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.haps.spi.JudgeFactory} and give it a public no-argument
 * constructor. A judge plugin depends on {@code haps-api} only.
 *
 * <pre>{@code
 * public final class ContainsJudgeFactory implements JudgeFactory {
 *   public String type() { return "contains"; }
 *   public Judge create(JudgeConfig config, JudgeContext context) {
 *     boolean ignoreCase = config.getBoolean("ignoreCase", true);
 *     return request -> request.reference()
 *         .map(ref -> Verdict.graded(contains(request.response(), ref, ignoreCase) ? 1 : 0))
 *         .orElse(Verdict.ungraded("query '" + request.queryId() + "' has no reference answer"));
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public interface JudgeFactory {

  /**
   * The judge type this factory creates, unique among installed factories, e.g. {@code exact}.
   * Configuration files and {@code haps collect --judge} name it.
   *
   * @return the type
   */
  String type();

  /**
   * A one-line description for listings and error messages.
   *
   * @return the description
   */
  default String description() {
    return type();
  }

  /**
   * Creates a judge.
   *
   * @param config the judge's settings
   * @param context what the judge may use at run time (the configured models, for an LLM
   *     judge)
   * @return the judge
   * @throws dev.haps.api.error.ConfigurationException if a setting is missing or malformed; the
   *     message names the judge, the setting and the value
   */
  Judge create(JudgeConfig config, JudgeContext context);
}
