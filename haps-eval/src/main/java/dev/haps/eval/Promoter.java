package dev.haps.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guarded promotion: replaces the serving bundle with a candidate only when off-policy
 * evaluation shows the candidate better than what serves now, and logs every decision with its
 * figures.
 *
 * <p>A serving folder holds {@code bundles/<sha12>/} (each promoted bundle, copied in whole
 * before it is named), {@code serving.json} (which one serves; replaced atomically) and
 * {@code promotions.jsonl} (one line per decision, appended and forced before the switch).
 * A crash at any point leaves {@code serving.json} naming a complete bundle: the old one or the
 * new one.
 *
 * <pre>{@code
 * Promoter promoter = Promoter.open(Path.of("serving"));
 * OffPolicyReport report = OffPolicyEvaluation.builder().log(feedback).candidate(candidate)
 *     .build().run();
 * PromotionDecision d = promoter.consider(candidate, report, router);  // hot swap when promoted
 * }</pre>
 *
 * <p>Thread-safe: decisions are serialised.
 *
 * @since 0.1.0
 */
public final class Promoter {

  private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The policy id of the calls made before any bundle serves (uniform exploration). */
  public static final String UNIFORM = "uniform";

  private final Path root;
  private final Clock clock;

  private Promoter(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  /**
   * Opens (creating when missing) a serving folder.
   *
   * @param root the folder
   * @return the promoter
   * @throws UncheckedIOException if the folder cannot be created
   */
  public static Promoter open(Path root) {
    return open(root, Clock.systemUTC());
  }

  /**
   * Opens a serving folder with a clock for the decisions' times.
   *
   * @param root the folder
   * @param clock the clock
   * @return the promoter
   */
  public static Promoter open(Path root, Clock clock) {
    try {
      Files.createDirectories(root.resolve("bundles"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the serving folder " + root, e);
    }
    return new Promoter(root, clock);
  }

  /**
   * The bundle that serves now.
   *
   * @return its folder, or empty before the first promotion
   */
  public synchronized Optional<Path> serving() {
    Path f = root.resolve("serving.json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(f.toFile());
      return Optional.of(root.resolve(n.path("bundle").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  /**
   * Makes a bundle the serving one without the guard, when none serves yet: the bundle that
   * already serves in production when the loop starts.
   *
   * @param bundle the bundle folder or zip
   * @return the installed copy in {@code bundles/}
   * @throws IllegalStateException if a bundle already serves
   */
  public synchronized Path adopt(Path bundle) {
    if (serving().isPresent()) {
      throw new IllegalStateException("a bundle already serves from " + root + " ("
          + serving().get() + "); promote candidates with consider(...) instead");
    }
    Path installed = install(RouterBundle.load(bundle));
    writeServing(installed);
    return installed;
  }

  /**
   * The serving policy's id: the serving bundle's router SHA-256, or {@link #UNIFORM}.
   *
   * @return the id
   */
  public synchronized String servingPolicy() {
    return serving().map(p -> RouterBundle.load(p).routerSha256()).orElse(UNIFORM);
  }

  /**
   * The bandit rows of a log that one policy logged: what the guard compares a candidate on.
   *
   * @param log the joined feedback log
   * @param policy the policy's id
   * @return a log of those rows only
   */
  public static dev.haps.data.OutcomeLog loggedBy(dev.haps.data.OutcomeLog log, String policy) {
    List<dev.haps.data.QueryRecord> keep = new java.util.ArrayList<>();
    for (dev.haps.data.QueryRecord q : log.records()) {
      if (q.outcomes().size() == 1 && q.outcomes().get(0).logged().isPresent()
          && q.outcomes().get(0).logged().get().policy().equals(policy)) {
        keep.add(q);
      }
    }
    return dev.haps.data.OutcomeLog.of(log.candidates(), keep);
  }

  /**
   * Decides on a candidate, promotes it when the rule holds (copying it into the serving folder,
   * switching {@code serving.json} and hot-swapping {@code router} when given), and logs the
   * decision.
   *
   * <p>The report must be made on calls the serving policy logged ({@link #loggedBy}): its
   * observed value there is the serving policy's observed value, and the candidate's lower
   * bound is that value plus the lower end of the paired DR gain ({@link
   * OffPolicyReport#gain()}). The candidate is promoted only when that lower bound is above the
   * observed value.
   *
   * @param candidate the candidate bundle
   * @param report its off-policy report on the serving policy's logged calls
   * @param router the router to hot-swap on promotion, or null
   * @return the decision
   */
  public synchronized PromotionDecision consider(Path candidate, OffPolicyReport report,
      HapsRouter router) {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(report, "report");
    RouterBundle cand = RouterBundle.load(candidate);
    String before = servingPolicy();
    double observed = report.logged().reward().value();
    double low = observed + report.gain().reward().low();
    double value = report.dr().reward().value();
    boolean promote = Double.isFinite(low) && low > observed
        && !cand.routerSha256().equals(before);
    String reason;
    if (cand.routerSha256().equals(before)) {
      reason = "the candidate is the serving bundle";
    } else {
      reason = String.format(Locale.ROOT, "DR lower bound %.4f %s serving observed %.4f"
          + " (paired gain %.4f [%.4f, %.4f] on %d calls)", low, promote ? ">" : "<=", observed,
          report.gain().reward().value(), report.gain().reward().low(),
          report.gain().reward().high(), report.rows());
    }
    PromotionDecision d = new PromotionDecision(clock.instant(), cand.routerSha256(), before,
        promote, low, value, observed, report.rows(), report.rows(),
        report.effectiveSampleSize(), reason);
    // Installed before the decision is logged: a failed copy leaves no "promoted" line behind.
    Path installed = promote ? install(cand) : null;
    append(d);
    if (promote) {
      writeServing(installed);
      if (router != null) {
        router.swap(RouterBundle.load(installed));
      }
      LOG.info("promoted {} ({})", installed, reason);
    } else {
      LOG.info("kept {} ({})", before, reason);
    }
    return d;
  }

  /**
   * Writes the loaded bundle (manifest, network and any fine-tuned encoder layers, as checked at
   * load) into {@code bundles/<sha12>} through a temporary folder and a rename.
   */
  private Path install(RouterBundle bundle) {
    Path target = root.resolve("bundles").resolve(bundle.routerSha256().substring(0, 12));
    if (Files.isDirectory(target)) {
      return target;
    }
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory(root.resolve("bundles"), ".incoming-");
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("manifest.json", bundle.manifestJson());
      files.put("router.onnx", bundle.routerOnnx());
      bundle.encoderTop().ifPresent(top -> files.put("encoder-top.onnx", top.onnx()));
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Files.write(tmp.resolve(f.getKey()), f.getValue());
        force(tmp.resolve(f.getKey()));
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot install " + bundle.source() + " into " + target
          + "; check free space and permissions under " + root, e);
    }
  }

  /** Removes a half-written temporary folder; what cannot be removed is left for the user. */
  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // The copy's own failure is the one reported.
    }
  }

  private void writeServing(Path bundle) {
    ObjectNode n = JSON.createObjectNode();
    n.put("bundle", root.relativize(bundle).toString());
    n.put("since", clock.instant().toString());
    Path tmp = root.resolve("serving.json.tmp");
    try {
      Files.write(tmp, JSON.writeValueAsBytes(n));
      force(tmp);
      Files.move(tmp, root.resolve("serving.json"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot switch " + root.resolve("serving.json"), e);
    }
  }

  private void append(PromotionDecision d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("at", d.at().toString());
    n.put("candidate", d.candidate());
    n.put("serving", d.serving());
    n.put("promoted", d.promoted());
    n.put("candidate_dr_low", d.candidateLow());
    n.put("candidate_dr", d.candidateValue());
    n.put("serving_observed", d.servingObserved());
    n.put("serving_calls", d.servingCalls());
    n.put("rows", d.rows());
    n.put("effective_sample_size", d.effectiveSampleSize());
    n.put("reason", d.reason());
    byte[] line;
    try {
      line = (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (FileChannel ch = FileChannel.open(root.resolve("promotions.jsonl"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buf = ByteBuffer.wrap(line);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot log the promotion decision in "
          + root.resolve("promotions.jsonl") + "; check disk space", e);
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }
}
