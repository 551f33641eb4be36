package dev.haps.springai;

/**
 * The Micrometer observations of {@link HapsChatModel}, named after Spring AI's conventions
 * (dotted lower-case names; low-cardinality keys for what a metric may be tagged with). Each
 * routed call is one {@value #CHAT} observation; inside it, {@value #ROUTING} times the routing
 * alone, and the chosen model's own Spring AI observation ({@code gen_ai.client.operation}) times
 * the model call, so routing and calling show up as separate timers.
 *
 * @since 0.1.0
 */
public final class HapsObservations {

  /** The whole routed call: routing, the chosen model's call and any fallbacks. */
  public static final String CHAT = "haps.chat";
  /** Routing alone: encoding the conversation and running the router network. */
  public static final String ROUTING = "haps.routing";

  /** Low cardinality: the operation, {@code chat} (Spring AI's {@code gen_ai.operation.name}). */
  public static final String OPERATION = "gen_ai.operation.name";
  /** Low cardinality: the system, {@code haps} (Spring AI's {@code gen_ai.system}). */
  public static final String SYSTEM = "gen_ai.system";
  /** Low cardinality: the bundle routing, as {@code id@version}. */
  public static final String BUNDLE = "haps.bundle";
  /** Low cardinality: the candidate the router chose first ({@value #ROUTING}, {@value #CHAT}). */
  public static final String CHOSEN_MODEL = "haps.model.chosen";
  /** Low cardinality: the candidate that answered, {@code none} on failure ({@value #CHAT}). */
  public static final String ANSWERED_MODEL = "haps.model.answered";
  /** Low cardinality: whether a candidate other than the first choice answered. */
  public static final String FALLBACK = "haps.fallback";
  /** Low cardinality: whether the call streamed. */
  public static final String STREAM = "haps.stream";
  /** High cardinality: the chosen candidate's generated parameters. */
  public static final String PARAMETERS = "haps.parameters";
  /** High cardinality: the router's probability for the chosen candidate. */
  public static final String PROBABILITY = "haps.probability";

  private HapsObservations() {}
}
