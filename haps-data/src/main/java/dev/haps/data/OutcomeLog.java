package dev.haps.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole outcome log in memory: the candidate list and every query record, validated.
 *
 * <pre>{@code
 * OutcomeLog log = OutcomeLog.load(Path.of("data/concise-cot"));
 * for (QueryRecord q : log.records(Split.TRAIN)) {
 *   ...
 * }
 * String checksum = log.sha256();   // recorded in a bundle's manifest
 * }</pre>
 *
 * <p>Loading validates everything: each bad line fails with the file, its 1-based line number
 * and the problem (bad JSON, a missing field, a score outside [0, 1], an unknown split or
 * model, a parameter name or value that {@code candidates.json} does not declare, a blank query,
 * an id used twice). A torn last line left by an interrupted append is skipped with a WARN, as
 * {@link OutcomeLogReader} describes; other bad lines can be skipped and counted with
 * {@link BadLinePolicy#SKIP} ({@link #load(Path, BadLinePolicy)}).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class OutcomeLog {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeLog.class);

  /** The file holding the candidate list inside a log directory. */
  public static final String CANDIDATES_FILE = "candidates.json";

  /** The file holding the query records inside a log directory. */
  public static final String OUTCOMES_FILE = "outcomes.jsonl";

  private final CandidateSet candidates;
  private final List<QueryRecord> records;
  private final Map<Split, List<QueryRecord>> bySplit;
  private final Map<String, QueryRecord> byId;
  private final Map<String, Map<String, List<Object>>> observed;
  private final String sha256;
  private final int badLinesSkipped;
  private final int tornLinesSkipped;
  private final CostCoverage costs;

  private OutcomeLog(CandidateSet candidates, List<QueryRecord> records, String sha256,
      int badLinesSkipped, int tornLinesSkipped) {
    this.badLinesSkipped = badLinesSkipped;
    this.tornLinesSkipped = tornLinesSkipped;
    this.candidates = candidates;
    long[] counts = new long[3];
    List<QueryRecord> resolved = new ArrayList<>(records.size());
    for (QueryRecord r : records) {
      resolved.add(withCosts(r, candidates, counts));
    }
    this.records = List.copyOf(resolved);
    this.costs = new CostCoverage(counts[0], counts[1], counts[2]);
    Map<Split, List<QueryRecord>> splits = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      splits.put(s, new ArrayList<>());
    }
    Map<String, QueryRecord> ids = new HashMap<>();
    Map<String, Map<String, TreeSet<Object>>> seen = new LinkedHashMap<>();
    for (QueryRecord r : this.records) {
      splits.get(r.split()).add(r);
      ids.put(r.id(), r);
      for (Outcome o : r.outcomes()) {
        for (Map.Entry<String, Object> e : o.params().asMap().entrySet()) {
          seen.computeIfAbsent(o.model(), k -> new LinkedHashMap<>())
              .computeIfAbsent(e.getKey(), k -> new TreeSet<>(OutcomeLog::compareValues))
              .add(e.getValue());
        }
      }
    }
    splits.replaceAll((s, l) -> List.copyOf(l));
    this.bySplit = Collections.unmodifiableMap(splits);
    this.byId = Collections.unmodifiableMap(ids);
    Map<String, Map<String, List<Object>>> obs = new HashMap<>();
    seen.forEach((model, params) -> {
      Map<String, List<Object>> m = new HashMap<>();
      params.forEach((name, values) -> m.put(name, List.copyOf(values)));
      obs.put(model, Collections.unmodifiableMap(m));
    });
    this.observed = Collections.unmodifiableMap(obs);
    this.sha256 = sha256;
  }

  /**
   * Loads and validates a log directory holding {@code candidates.json} and
   * {@code outcomes.jsonl}. A bandit feedback log (a folder holding {@code calls.jsonl}, see
   * {@link FeedbackLog}) is joined with {@link FeedbackLog.JoinPolicy#defaults()}.
   *
   * @param dir the directory
   * @return the log
   * @throws OutcomeLogException if a file is missing or unreadable, or any line is bad; the
   *     message names the file, the line and the problem
   */
  public static OutcomeLog load(Path dir) {
    return load(dir, BadLinePolicy.FAIL);
  }

  /**
   * Loads and validates a log directory, handling lines that are not valid records by the given
   * policy; {@link #badLinesSkipped()} says how many {@link BadLinePolicy#SKIP} left out.
   *
   * @param dir the directory
   * @param policy what to do with a bad line
   * @return the log
   * @throws OutcomeLogException if a file is missing or unreadable, or (under
   *     {@link BadLinePolicy#FAIL}) any line is bad; the message names the file, the line and
   *     the problem
   */
  public static OutcomeLog load(Path dir, BadLinePolicy policy) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(policy, "policy");
    if (Files.isDirectory(dir) && FeedbackLog.isFeedbackLog(dir)) {
      return FeedbackLog.load(dir, FeedbackLog.JoinPolicy.defaults(), java.time.Instant.now())
          .log();
    }
    if (!Files.isDirectory(dir)) {
      throw OutcomeLogException.inFile(dir.toString(), "is not a directory; an outcome log is a"
          + " directory holding " + CANDIDATES_FILE + " and " + OUTCOMES_FILE, null);
    }
    Path cands = dir.resolve(CANDIDATES_FILE);
    Path outs = dir.resolve(OUTCOMES_FILE);
    byte[] candBytes;
    try {
      candBytes = Files.readAllBytes(cands);
    } catch (IOException e) {
      throw OutcomeLogException.inFile(cands.toString(), "cannot read the candidate list (" + e
          + "); an outcome log directory holds " + CANDIDATES_FILE + " and " + OUTCOMES_FILE, e);
    }
    InputStream in;
    try {
      in = Files.newInputStream(outs);
    } catch (IOException e) {
      throw OutcomeLogException.inFile(outs.toString(), "cannot open the outcome records (" + e
          + "); an outcome log directory holds " + CANDIDATES_FILE + " and " + OUTCOMES_FILE, e);
    }
    return read(cands.toString(), candBytes, outs.toString(), in, policy);
  }

  /**
   * Loads and validates a log from two streams, for example class-path resources. Both streams
   * are read to the end; the outcomes stream is closed.
   *
   * @param candidatesName the candidate list's name, for messages
   * @param candidatesJson the {@code candidates.json} content
   * @param outcomesName the records' name, for messages
   * @param outcomesJsonl the {@code outcomes.jsonl} content
   * @return the log
   * @throws OutcomeLogException if a stream fails or any line is bad
   */
  public static OutcomeLog load(String candidatesName, InputStream candidatesJson,
      String outcomesName, InputStream outcomesJsonl) {
    Objects.requireNonNull(candidatesJson, "candidatesJson");
    Objects.requireNonNull(outcomesJsonl, "outcomesJsonl");
    byte[] candBytes;
    try {
      candBytes = candidatesJson.readAllBytes();
    } catch (IOException e) {
      throw OutcomeLogException.inFile(candidatesName, "cannot read the candidate list (" + e
          + ")", e);
    }
    return read(candidatesName, candBytes, outcomesName, outcomesJsonl, BadLinePolicy.FAIL);
  }

  private static OutcomeLog read(String candName, byte[] candBytes, String outName,
      InputStream outs, BadLinePolicy policy) {
    CandidateSet set = Codec.parseCandidates(candName, candBytes);
    MessageDigest digest = sha256Digest();
    List<QueryRecord> records = new ArrayList<>();
    Map<String, Long> lineOfId = new HashMap<>();
    int bad;
    int torn;
    int duplicates = 0;
    try (OutcomeLogReader r =
        OutcomeLogReader.open(outName, new DigestInputStream(outs, digest), set, policy)) {
      for (Optional<QueryRecord> q = r.next(); q.isPresent(); q = r.next()) {
        QueryRecord rec = q.get();
        Long first = lineOfId.putIfAbsent(rec.id(), r.lineOfLastRecord());
        if (first != null) {
          String problem = "duplicate query id '" + rec.id() + "', first used on line " + first
              + "; ids must be unique";
          if (policy == BadLinePolicy.FAIL) {
            throw OutcomeLogException.atLine(outName, r.lineOfLastRecord(), problem);
          }
          duplicates++;
          LOG.warn("{} line {}: skipped a bad line: {}", outName, r.lineOfLastRecord(), problem);
          continue;
        }
        records.add(rec);
      }
      bad = r.badLinesSkipped() + duplicates;
      torn = r.tornLinesSkipped();
    }
    digest.update(candBytes);
    return new OutcomeLog(set, records, hex(digest.digest()), bad, torn);
  }

  /**
   * A log built in code. Every record is validated against the candidates, and parameter values
   * are stored in the canonical form of their spec. The checksum covers the records as
   * {@link OutcomeLogWriter} would write them followed by {@link CandidateSet#toJson()}.
   *
   * @param candidates the candidate list
   * @param records the records, with distinct ids
   * @return the log
   * @throws OutcomeLogException naming the first bad record (by position and id) and its problem
   */
  public static OutcomeLog of(CandidateSet candidates, List<QueryRecord> records) {
    Objects.requireNonNull(candidates, "candidates");
    String source = "in-memory outcome log '" + candidates.benchmark() + "'";
    MessageDigest digest = sha256Digest();
    List<QueryRecord> checked = new ArrayList<>(records.size());
    Map<String, Integer> indexOfId = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      QueryRecord r = Objects.requireNonNull(records.get(i), "records must not contain null");
      QueryRecord c;
      try {
        c = Codec.canonical(r, candidates);
      } catch (Codec.BadLine e) {
        throw new OutcomeLogException(source, 0,
            source + " record " + (i + 1) + ": " + e.getMessage(), null);
      }
      Integer first = indexOfId.putIfAbsent(r.id(), i + 1);
      if (first != null) {
        throw new OutcomeLogException(source, 0, source + " record " + (i + 1)
            + ": duplicate query id '" + r.id() + "', first used by record " + first
            + "; ids must be unique", null);
      }
      digest.update(Codec.writeRecord(c));
      checked.add(c);
    }
    digest.update(candidates.toJson());
    return new OutcomeLog(candidates, checked, hex(digest.digest()), 0, 0);
  }

  /**
   * The benchmark name from {@code candidates.json}.
   *
   * @return the name
   */
  public String benchmark() {
    return candidates.benchmark();
  }

  /**
   * The candidate list.
   *
   * @return the candidates
   */
  public CandidateSet candidates() {
    return candidates;
  }

  /**
   * Every record, in file order.
   *
   * @return an unmodifiable list
   */
  public List<QueryRecord> records() {
    return records;
  }

  /**
   * The records of one split, in file order.
   *
   * @param split the split
   * @return an unmodifiable list
   */
  public List<QueryRecord> records(Split split) {
    return bySplit.get(Objects.requireNonNull(split, "split"));
  }

  /**
   * Looks a record up by its id.
   *
   * @param id the query id
   * @return the record, if present
   */
  public Optional<QueryRecord> record(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Where the outcomes' costs come from: recorded, derived from {@code price_per_mtok} and token
   * counts where {@code cost_usd} is null (the rule {@link CostCoverage} states), or unknown.
   * {@link Outcome#costUsd()} of every record already holds the derived costs.
   *
   * @return the counts
   */
  public CostCoverage costs() {
    return costs;
  }

  /**
   * How many bad lines loading skipped ({@link BadLinePolicy#SKIP}); 0 for a log that loaded
   * under {@link BadLinePolicy#FAIL} or was built in code.
   *
   * @return the count
   */
  public int badLinesSkipped() {
    return badLinesSkipped;
  }

  /**
   * How many torn last lines loading skipped (0 or 1): an append interrupted by a crash.
   *
   * @return the count
   */
  public int tornLinesSkipped() {
    return tornLinesSkipped;
  }

  /**
   * The number of outcomes over all records.
   *
   * @return the count
   */
  public long outcomeCount() {
    long n = 0;
    for (QueryRecord r : records) {
      n += r.outcomes().size();
    }
    return n;
  }

  /**
   * The distinct values one parameter of one model takes in the records, sorted (numbers
   * ascending, strings alphabetically).
   * This is what continuous outputs are snapped to in evaluation and replay.
   *
   * @param model the model id
   * @param parameter the parameter name
   * @return the values, empty when the records never set the parameter
   */
  public List<Object> observedValues(String model, String parameter) {
    return observed.getOrDefault(model, Map.of()).getOrDefault(parameter, List.of());
  }

  /**
   * The hex SHA-256 of the log's bytes: {@code outcomes.jsonl} followed by
   * {@code candidates.json}, as read. Bundles record it to name the data they were trained on.
   *
   * @return 64 lower-case hex digits
   */
  public String sha256() {
    return sha256;
  }

  @Override
  public String toString() {
    return "OutcomeLog{" + benchmark() + ", records=" + records.size() + ", train="
        + bySplit.get(Split.TRAIN).size() + ", valid=" + bySplit.get(Split.VALID).size()
        + ", test=" + bySplit.get(Split.TEST).size() + ", sha256=" + sha256.substring(0, 12)
        + "}";
  }

  /** The record with null costs derived from prices and tokens; counts[recorded, derived, unknown]. */
  private static QueryRecord withCosts(QueryRecord r, CandidateSet candidates, long[] counts) {
    List<Outcome> outs = null;
    for (int i = 0; i < r.outcomes().size(); i++) {
      Outcome o = r.outcomes().get(i);
      if (!Double.isNaN(o.costUsd())) {
        counts[0]++;
        continue;
      }
      OptionalDouble c = candidates.model(o.model())
          .map(m -> m.costOf(o.inputTokens(), o.outputTokens()))
          .orElse(OptionalDouble.empty());
      if (c.isEmpty()) {
        counts[2]++;
        continue;
      }
      counts[1]++;
      if (outs == null) {
        outs = new ArrayList<>(r.outcomes());
      }
      outs.set(i, new Outcome(o.model(), o.params(), o.score(), c.getAsDouble(), o.inputTokens(),
          o.outputTokens()));
    }
    return outs == null ? r
        : new QueryRecord(r.id(), r.task(), r.split(), r.query(), r.answer(), outs);
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }

  private static int compareValues(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }
    if (a instanceof Number) {
      return -1;
    }
    if (b instanceof Number) {
      return 1;
    }
    return String.valueOf(a).compareTo(String.valueOf(b));
  }
}
