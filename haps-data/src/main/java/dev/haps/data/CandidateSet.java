package dev.haps.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A benchmark's candidate models, read from (or written as) {@code candidates.json}.
 *
 * <pre>{@code
 * CandidateSet set = CandidateSet.read(Path.of("data/concise-cot/candidates.json"));
 * CandidateModel gpt4 = set.require("gpt-4");
 * ParameterSpace space = gpt4.parameters();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class CandidateSet {

  private final String benchmark;
  private final List<CandidateModel> models;
  private final Map<String, CandidateModel> byId;
  private final ObjectNode source;

  CandidateSet(String benchmark, List<CandidateModel> models, ObjectNode source) {
    if (benchmark == null || benchmark.isBlank()) {
      throw new IllegalArgumentException("benchmark name must not be blank");
    }
    Map<String, CandidateModel> m = new LinkedHashMap<>();
    for (CandidateModel c : models) {
      Objects.requireNonNull(c, "candidate model must not be null");
      if (m.put(c.id(), c) != null) {
        throw new IllegalArgumentException(
            "benchmark '" + benchmark + "' declares model '" + c.id() + "' twice");
      }
    }
    this.benchmark = benchmark;
    this.models = List.copyOf(models);
    this.byId = Collections.unmodifiableMap(m);
    this.source = source == null ? null : source.deepCopy();
  }

  /**
   * A candidate set built in code (for example for a feedback log).
   *
   * @param benchmark the benchmark name
   * @param models the candidate models, with distinct ids
   * @return the set
   * @throws IllegalArgumentException if the name is blank or an id repeats
   */
  public static CandidateSet of(String benchmark, List<CandidateModel> models) {
    return new CandidateSet(benchmark, models, null);
  }

  /**
   * Reads and validates a {@code candidates.json} file.
   *
   * @param candidatesJson the file
   * @return the set
   * @throws OutcomeLogException if the file cannot be read or is malformed; the message names
   *     the file, the model and the field
   */
  public static CandidateSet read(Path candidatesJson) {
    Objects.requireNonNull(candidatesJson, "candidatesJson");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(candidatesJson);
    } catch (IOException e) {
      throw OutcomeLogException.inFile(candidatesJson.toString(), "cannot read the candidate"
          + " list (" + e + "); check the path: a log directory holds candidates.json and"
          + " outcomes.jsonl", e);
    }
    return Codec.parseCandidates(candidatesJson.toString(), bytes);
  }

  /**
   * Reads and validates {@code candidates.json} content from a stream (for example a class-path
   * resource). The stream is read to its end but not closed.
   *
   * @param sourceName the name used in error messages
   * @param in the content
   * @return the set
   * @throws OutcomeLogException if the stream fails or the content is malformed
   */
  public static CandidateSet read(String sourceName, InputStream in) {
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(in, "in");
    try {
      return Codec.parseCandidates(sourceName, in.readAllBytes());
    } catch (IOException e) {
      throw OutcomeLogException.inFile(sourceName, "cannot read the candidate list (" + e + ")",
          e);
    }
  }

  /**
   * Writes this set as {@code candidates.json} (pretty-printed, UTF-8), replacing the file.
   *
   * @param candidatesJson the file to write
   * @throws OutcomeLogException if the file cannot be written
   */
  public void write(Path candidatesJson) {
    try {
      Path parent = candidatesJson.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(candidatesJson, toJson());
    } catch (IOException e) {
      throw OutcomeLogException.inFile(candidatesJson.toString(),
          "cannot write the candidate list (" + e + "); check permissions and disk space", e);
    }
  }

  /**
   * This set in the {@code candidates.json} shape.
   *
   * @return UTF-8 JSON bytes
   */
  public byte[] toJson() {
    return Codec.writeCandidates(this);
  }

  /**
   * The benchmark name.
   *
   * @return the name, e.g. {@code concise-cot}
   */
  public String benchmark() {
    return benchmark;
  }

  /**
   * The candidate models, in file order.
   *
   * @return an unmodifiable list
   */
  public List<CandidateModel> models() {
    return models;
  }

  /**
   * The model ids, in file order.
   *
   * @return an unmodifiable list
   */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /**
   * Looks a model up by id.
   *
   * @param id the model id
   * @return the model, if declared
   */
  public Optional<CandidateModel> model(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * A model that must be declared.
   *
   * @param id the model id
   * @return the model
   * @throws dev.haps.api.error.ConfigurationException if no model has that id, listing those
   *     that do
   */
  public CandidateModel require(String id) {
    CandidateModel m = byId.get(id);
    if (m == null) {
      throw new dev.haps.api.error.ConfigurationException("benchmark '" + benchmark
          + "' has no candidate model '" + id + "'; its models: " + byId.keySet());
    }
    return m;
  }

  /**
   * The licence stated in {@code source.license}.
   *
   * @return the licence text, if the file states one
   */
  public Optional<String> license() {
    return sourceText("license");
  }

  /**
   * The source repository stated in {@code source.repo}.
   *
   * @return {@code owner/name}, if the file states one
   */
  public Optional<String> sourceRepo() {
    return sourceText("repo");
  }

  ObjectNode sourceNode() {
    return source;
  }

  private Optional<String> sourceText(String field) {
    if (source == null || !source.path(field).isTextual()) {
      return Optional.empty();
    }
    return Optional.of(source.get(field).asText());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CandidateSet && ((CandidateSet) o).benchmark.equals(benchmark)
        && ((CandidateSet) o).models.equals(models);
  }

  @Override
  public int hashCode() {
    return benchmark.hashCode() * 31 + models.hashCode();
  }

  @Override
  public String toString() {
    List<String> ids = new ArrayList<>(byId.keySet());
    return "CandidateSet{" + benchmark + ", models=" + ids + "}";
  }
}
