package dev.haps.client;

import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.api.params.TensorSpec;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.LlmProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one bundle's candidates map onto provider instances and backend models, checked once per
 * bundle: every mapped candidate's provider serves its backend model, and every parameter the
 * router may generate is either declared by that provider (in a compatible range) or applied by
 * a registered transformer. Immutable.
 */
final class CandidatePlan {

  private static final Logger LOG = LoggerFactory.getLogger(CandidatePlan.class);

  /** The mapping entry that covers every candidate not mapped by name. */
  static final String WILDCARD = "*";

  /** Where a candidate goes, and the parameters its provider declares for the backend model. */
  record Target(String candidate, String providerId, LlmProvider provider, String backendModel,
      ParameterSpace served) {}

  /** A mapping as configured: provider instance and backend model ({@code null}: same name). */
  record Mapping(String providerId, String backendModel) {}

  /** A prepared attempt: the rewritten request and what the provider receives. */
  record Prepared(ChatRequest request, ParameterValues providerParameters) {}

  private final BundleInfo bundle;
  private final Map<String, Target> targets;
  private final Set<String> unmapped;
  private final Transformers transformers;

  private CandidatePlan(BundleInfo bundle, Map<String, Target> targets, Set<String> unmapped,
      Transformers transformers) {
    this.bundle = bundle;
    this.targets = targets;
    this.unmapped = unmapped;
    this.transformers = transformers;
  }

  /**
   * The registered transformers and which one applies to a parameter of a target: one the
   * application registered always applies; otherwise a parameter the provider declares goes to
   * the provider (the replay backend answers per {@code prompt_style}, for instance); otherwise a
   * built-in transformer applies.
   */
  record Transformers(Map<String, RequestTransformer> registered,
      Map<String, RequestTransformer> builtIn) {

    RequestTransformer forParameter(Target target, String name) {
      RequestTransformer t = registered.get(name);
      if (t != null || target.served().spec(name).isPresent()) {
        return t;
      }
      return builtIn.get(name);
    }
  }

  static CandidatePlan build(Router router, Map<String, LlmProvider> providers,
      Map<String, Mapping> mappings, Transformers transformers) {
    BundleInfo bundle = router.bundle();
    List<Candidate> candidates = router.candidates();
    Mapping wildcard = mappings.get(WILDCARD);
    Map<String, Target> targets = new LinkedHashMap<>();
    Set<String> unmapped = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    for (Candidate c : candidates) {
      Mapping m = mappings.getOrDefault(c.model(), wildcard);
      if (m == null) {
        unmapped.add(c.model());
        continue;
      }
      String backend = m.backendModel() == null ? c.model() : m.backendModel();
      LlmProvider p = providers.get(m.providerId());
      if (p == null) {
        problems.add("candidate '" + c.model() + "' maps to provider instance '" + m.providerId()
            + "', which is not registered (registered: " + providers.keySet() + ")");
        continue;
      }
      ParameterSpace served;
      try {
        served = p.parameterSpace(backend);
      } catch (ConfigurationException e) {
        problems.add("candidate '" + c.model() + "': " + e.getMessage());
        continue;
      }
      Target target = new Target(c.model(), m.providerId(), p, backend, served);
      Optional<ParameterSpace> declared = router.parameterSpace(c.model());
      if (declared.isPresent()) {
        for (ParameterSpec spec : declared.get().specs()) {
          String problem = check(target, spec, transformers.forParameter(target, spec.name()));
          if (problem != null) {
            problems.add(problem);
          }
        }
      }
      targets.put(c.model(), target);
    }
    if (problems.isEmpty() && targets.isEmpty()) {
      problems.add("no candidate of " + candidates.stream().map(Candidate::model).toList()
          + " is mapped to a provider, so no call could ever be made; map them by name or add a"
          + " \"*\" mapping");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException("the routing client cannot serve bundle " + bundle + ":\n  "
          + String.join("\n  ", problems) + "\nFix the candidate mapping, register a"
          + " transformer for each parameter no provider declares, or configure the provider"
          + " (e.g. extraSampling for top_k).");
    }
    Set<String> names = new LinkedHashSet<>();
    candidates.forEach(c -> names.add(c.model()));
    for (String mapped : mappings.keySet()) {
      if (!mapped.equals(WILDCARD) && !names.contains(mapped)) {
        LOG.warn("routing client: candidate mapping '{}' matches no candidate of bundle {}"
            + " (candidates: {}); it is ignored", mapped, bundle, names);
      }
    }
    if (!unmapped.isEmpty()) {
      LOG.warn("routing client: candidates {} of bundle {} have no provider mapping and will never"
          + " be chosen; map them by name or add a \"*\" mapping", unmapped, bundle);
    }
    LOG.info("routing client: bundle {} mapped: {}", bundle, describe(targets));
    return new CandidatePlan(bundle, Collections.unmodifiableMap(targets),
        Collections.unmodifiableSet(unmapped), transformers);
  }

  /** A problem line, or {@code null} when the parameter can be applied. */
  private static String check(Target target, ParameterSpec spec, RequestTransformer t) {
    if (t != null) {
      try {
        t.check(target.candidate(), spec);
        return null;
      } catch (ConfigurationException e) {
        return e.getMessage();
      }
    }
    Optional<ParameterSpec> served = target.served().spec(spec.name());
    String where = "parameter '" + spec.name() + "' of candidate '" + target.candidate()
        + "' (provider '" + target.providerId() + "', model '" + target.backendModel() + "')";
    if (served.isEmpty()) {
      return where + " is declared neither by the provider (it declares "
          + names(target.served()) + ") nor by a registered transformer";
    }
    String mismatch = compatible(spec, served.get());
    return mismatch == null ? null : where + ": " + mismatch;
  }

  /** Why values of {@code from} may not fit {@code to}, or {@code null} when they always do. */
  private static String compatible(ParameterSpec from, ParameterSpec to) {
    String kinds = "the bundle declares a " + from.kind() + " parameter, the provider a "
        + to.kind();
    return switch (from.kind()) {
      case FLOAT -> {
        if (to.kind() != ParameterSpec.Kind.FLOAT) {
          yield kinds;
        }
        FloatSpec a = (FloatSpec) from;
        FloatSpec b = (FloatSpec) to;
        yield a.min() >= b.min() && a.max() <= b.max() ? null : "the bundle's range [" + a.min()
            + ", " + a.max() + "] exceeds the provider's [" + b.min() + ", " + b.max() + "]";
      }
      // An int fits an int range or a float range.
      case INT -> switch (to.kind()) {
        case INT -> intWithin((IntSpec) from, ((IntSpec) to).min(), ((IntSpec) to).max());
        case FLOAT -> intWithin((IntSpec) from, ((FloatSpec) to).min(), ((FloatSpec) to).max());
        case CATEGORICAL, TENSOR -> kinds;
      };
      case CATEGORICAL -> {
        if (to.kind() != ParameterSpec.Kind.CATEGORICAL) {
          yield kinds;
        }
        List<String> extra = new ArrayList<>(((CategoricalSpec) from).choices());
        extra.removeAll(((CategoricalSpec) to).choices());
        yield extra.isEmpty() ? null : "the bundle's choices " + extra
            + " are not among the provider's " + ((CategoricalSpec) to).choices();
      }
      case TENSOR -> {
        if (to.kind() != ParameterSpec.Kind.TENSOR) {
          yield kinds;
        }
        yield ((TensorSpec) from).shape().equals(((TensorSpec) to).shape()) ? null
            : "tensor shapes differ: bundle " + ((TensorSpec) from).shape() + ", provider "
                + ((TensorSpec) to).shape();
      }
    };
  }

  private static String intWithin(IntSpec a, double min, double max) {
    return a.min() >= min && a.max() <= max ? null : "the bundle's range [" + a.min() + ", "
        + a.max() + "] exceeds the provider's [" + min + ", " + max + "]";
  }

  private static List<String> names(ParameterSpace s) {
    List<String> out = new ArrayList<>();
    s.specs().forEach(p -> out.add(p.name()));
    return out;
  }

  private static String describe(Map<String, Target> targets) {
    List<String> parts = new ArrayList<>();
    targets.values().forEach(t -> parts.add(t.candidate() + " -> " + t.providerId() + "/"
        + t.backendModel()));
    return parts.isEmpty() ? "(none)" : String.join(", ", parts);
  }

  BundleInfo bundle() {
    return bundle;
  }

  Set<String> unmapped() {
    return unmapped;
  }

  Map<String, Target> targets() {
    return targets;
  }

  Optional<Target> target(String candidate) {
    return Optional.ofNullable(targets.get(candidate));
  }

  /**
   * Applies the transformers of the routed parameters that have one and returns the request and
   * the parameters left for the provider.
   */
  Prepared prepare(Target target, ChatRequest base, ParameterValues routed) {
    ChatRequest request = base;
    ParameterValues.Builder rest = ParameterValues.builder();
    for (Map.Entry<String, Object> e : routed.asMap().entrySet()) {
      RequestTransformer t = transformers.forParameter(target, e.getKey());
      if (t != null) {
        request = t.apply(request, e.getValue());
      } else {
        rest.put(e.getKey(), e.getValue());
      }
    }
    return new Prepared(request, rest.build());
  }
}
