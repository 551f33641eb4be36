package dev.haps.data;

import static dev.haps.data.Fixtures.big;
import static dev.haps.data.Fixtures.goodLine;
import static dev.haps.data.Fixtures.line;
import static dev.haps.data.Fixtures.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad line fails with the file, the 1-based line number and the problem. */
class OutcomeLogValidationTest {

  @TempDir Path tmp;

  /** Loads a log whose line 2 is {@code bad}, between two good lines, and returns the error. */
  private OutcomeLogException loadWithBadLine2(String bad) throws IOException {
    Path dir = Fixtures.log(tmp.resolve("log"), goodLine("q1"), bad, goodLine("q3"));
    try {
      OutcomeLog.load(dir);
    } catch (OutcomeLogException e) {
      assertThat(e.source()).isEqualTo(dir.resolve("outcomes.jsonl").toString());
      return e;
    }
    throw new AssertionError("expected the load to fail on line 2: " + bad);
  }

  private void assertLine2(String bad, String problem) throws IOException {
    OutcomeLogException e = loadWithBadLine2(bad);
    assertThat(e).hasMessage(tmp.resolve("log").resolve("outcomes.jsonl") + " line 2: " + problem);
    assertThat(e.line()).hasValue(2);
  }

  @Test
  void load_goodToyLog_parsesEveryField() throws IOException {
    Path dir = Fixtures.log(tmp.resolve("ok"), goodLine("q1"),
        line("q2", "test", small("\"temperature\":1,\"max_tokens\":64,\"style\":\"long\"", 0.25)));
    OutcomeLog log = OutcomeLog.load(dir);

    assertThat(log.records()).hasSize(2);
    QueryRecord q2 = log.record("q2").orElseThrow();
    assertThat(q2.split()).isEqualTo(Split.TEST);
    assertThat(q2.query()).isEqualTo("question q2");
    Outcome o = q2.outcomes().get(0);
    // 1 in the file is a float parameter: canonical Double; 64 is an int parameter: Long.
    assertThat(o.params().asMap()).containsExactly(Map.entry("temperature", 1.0),
        Map.entry("max_tokens", 64L), Map.entry("style", "long"));
    assertThat(o.score()).isEqualTo(0.25);
    assertThat(o.cost()).hasValue(0.001);
    assertThat(o.inputTokenCount()).hasValue(10);
    Outcome b = log.record("q1").orElseThrow().outcomesFor("big").get(0);
    assertThat(b.cost()).isEmpty();
    assertThat(b.inputTokens()).isEqualTo(-1);
    assertThat(b.params()).isEqualTo(ParameterValues.empty());
    assertThat(log.observedValues("small", "temperature")).containsExactly(0.5, 1.0);
    CandidateModel sm = log.candidates().require("small");
    assertThat(sm.observedValues("temperature")).containsExactly(0.0, 0.5, 1.0);
    assertThat(log.candidates().require("big").inputPrice()).isEmpty();
  }

  @Test
  void load_badJsonInTheMiddle_failsWithLineNumber() throws IOException {
    OutcomeLogException e = loadWithBadLine2("{\"id\": oops, \"task\": \"t\"}");
    assertThat(e.getMessage())
        .startsWith(tmp.resolve("log").resolve("outcomes.jsonl") + " line 2: not valid JSON: ")
        .contains("Unrecognized token 'oops'");
  }

  @Test
  void load_trailingGarbage_isBadJson() throws IOException {
    OutcomeLogException e = loadWithBadLine2(goodLine("q2") + " x");
    assertThat(e.getMessage()).contains(" line 2: not valid JSON: ");
  }

  @Test
  void load_duplicateJsonKey_isBadJson() throws IOException {
    OutcomeLogException e = loadWithBadLine2(
        "{\"id\":\"q2\",\"id\":\"q9\",\"task\":\"t\",\"split\":\"train\",\"query\":\"x\","
            + "\"outcomes\":[" + big(1) + "]}");
    assertThat(e.getMessage()).contains(" line 2: not valid JSON: Duplicate field 'id'");
  }

  @Test
  void load_notAnObject_fails() throws IOException {
    assertLine2("[1, 2]", "expected a JSON object, found an array");
  }

  @Test
  void load_missingRecordField_namesIt() throws IOException {
    assertLine2("{\"id\":\"q2\",\"split\":\"train\",\"query\":\"x\",\"outcomes\":[]}",
        "query 'q2': field 'task' is missing or null; required: id, task, split, query and"
            + " outcomes");
  }

  @Test
  void load_missingOutcomeField_namesOutcomeAndField() throws IOException {
    assertLine2(line("q2", "train", "{\"model\":\"big\",\"params\":{}}"),
        "query 'q2': outcomes[0] (model 'big'): field 'score' is missing or null; required:"
            + " model, params and score");
  }

  @Test
  void load_missingParams_fails() throws IOException {
    assertLine2(line("q2", "train", "{\"model\":\"big\",\"score\":1}"),
        "query 'q2': outcomes[0] (model 'big'): field 'params' is missing or null; required:"
            + " model, params and score ({} for defaults)");
  }

  @Test
  void load_emptyOutcomes_fails() throws IOException {
    assertLine2(line("q2", "train", ""),
        "query 'q2': field 'outcomes' is empty; a query needs at least one outcome");
  }

  @Test
  void load_scoreAboveOne_fails() throws IOException {
    assertLine2(line("q2", "train", big(1.5)),
        "query 'q2': outcomes[0] (model 'big'): score 1.5 is outside [0, 1]");
  }

  @Test
  void load_negativeScore_fails() throws IOException {
    assertLine2(line("q2", "train", big(-0.1)),
        "query 'q2': outcomes[0] (model 'big'): score -0.1 is outside [0, 1]");
  }

  @Test
  void load_scoreAsString_fails() throws IOException {
    assertLine2(line("q2", "train", "{\"model\":\"big\",\"params\":{},\"score\":\"1\"}"),
        "query 'q2': outcomes[0] (model 'big'): field 'score' must be a number in [0, 1],"
            + " found the string \"1\"");
  }

  @Test
  void load_unknownSplit_fails() throws IOException {
    assertLine2(line("q2", "training", big(1)),
        "query 'q2': unknown split 'training'; expected one of train, valid, test (lower case)");
  }

  @Test
  void load_upperCaseSplit_fails() throws IOException {
    assertLine2(line("q2", "TEST", big(1)),
        "query 'q2': unknown split 'TEST'; expected one of train, valid, test (lower case)");
  }

  @Test
  void load_unknownModel_listsDeclaredModels() throws IOException {
    assertLine2(line("q2", "train", "{\"model\":\"huge\",\"params\":{},\"score\":1}"),
        "query 'q2': outcomes[0] (model 'huge'): unknown model 'huge'; candidates.json declares"
            + " [small, big]");
  }

  @Test
  void load_undeclaredParameter_listsDeclaredOnes() throws IOException {
    assertLine2(line("q2", "train", big(1) + "," + small("\"top_p\":0.9", 1)),
        "query 'q2': outcomes[1] (model 'small'): parameter 'top_p' is not declared for model"
            + " 'small' in candidates.json; declared: [temperature, max_tokens, style]");
  }

  @Test
  void load_parameterAboveMax_fails() throws IOException {
    assertLine2(line("q2", "train", small("\"temperature\":3.0", 1)),
        "query 'q2': outcomes[0] (model 'small'): parameter 'temperature' = 3.0 is invalid:"
            + " above the maximum 2.0 (as declared in candidates.json)");
  }

  @Test
  void load_undeclaredChoice_fails() throws IOException {
    assertLine2(line("q2", "train", small("\"style\":\"medium\"", 1)),
        "query 'q2': outcomes[0] (model 'small'): parameter 'style' = 'medium' is invalid:"
            + " expected one of [short, long] (as declared in candidates.json)");
  }

  @Test
  void load_fractionalIntParameter_fails() throws IOException {
    assertLine2(line("q2", "train", small("\"max_tokens\":1.5", 1)),
        "query 'q2': outcomes[0] (model 'small'): parameter 'max_tokens' = 1.5 is invalid:"
            + " expected a whole number in [1, 4096] (as declared in candidates.json)");
  }

  @Test
  void load_booleanParameter_fails() throws IOException {
    assertLine2(line("q2", "train", small("\"style\":true", 1)),
        "query 'q2': outcomes[0] (model 'small'): parameter 'style' value true must be a"
            + " number or a string");
  }

  @Test
  void load_negativeCost_fails() throws IOException {
    assertLine2(line("q2", "train",
        "{\"model\":\"big\",\"params\":{},\"score\":1,\"cost_usd\":-0.5}"),
        "query 'q2': outcomes[0] (model 'big'): cost_usd -0.5 is negative; costs are at least"
            + " 0 (null when unknown)");
  }

  @Test
  void load_fractionalTokens_fails() throws IOException {
    assertLine2(line("q2", "train",
        "{\"model\":\"big\",\"params\":{},\"score\":1,\"input_tokens\":2.5}"),
        "query 'q2': outcomes[0] (model 'big'): field 'input_tokens' = 2.5 must be a whole"
            + " number at least 0, or null");
  }

  @Test
  void load_emptyLineInTheMiddle_fails() throws IOException {
    assertLine2("", "the line is empty; every line holds one JSON object (remove blank lines)");
  }

  @Test
  void load_duplicateId_namesBothLines() throws IOException {
    Path dir = Fixtures.log(tmp.resolve("dup"), goodLine("q1"), goodLine("q2"), goodLine("q1"));
    assertThatThrownBy(() -> OutcomeLog.load(dir))
        .isInstanceOf(OutcomeLogException.class)
        .hasMessage(dir.resolve("outcomes.jsonl") + " line 3: duplicate query id 'q1', first"
            + " used on line 1; ids must be unique");
  }

  @Test
  void load_missingOutcomesFile_namesIt() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("half"));
    Files.writeString(dir.resolve("candidates.json"), Fixtures.CANDIDATES);
    assertThatThrownBy(() -> OutcomeLog.load(dir))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(dir.resolve("outcomes.jsonl") + ": cannot open the outcome"
            + " records (")
        .hasMessageEndingWith("an outcome log directory holds candidates.json and"
            + " outcomes.jsonl");
  }

  @Test
  void load_notADirectory_says_so() {
    Path nowhere = tmp.resolve("nowhere");
    assertThatThrownBy(() -> OutcomeLog.load(nowhere))
        .hasMessage(nowhere + ": is not a directory; an outcome log is a directory holding"
            + " candidates.json and outcomes.jsonl");
  }

  @Test
  void load_tornLastLine_isSkippedWithOneWarning() throws Exception {
    Path dir = Fixtures.log(tmp.resolve("torn"), goodLine("q1"), goodLine("q2"));
    String torn = goodLine("q3").substring(0, 40);
    Files.writeString(dir.resolve("outcomes.jsonl"), torn,
        java.nio.file.StandardOpenOption.APPEND);
    OutcomeLog[] log = new OutcomeLog[1];

    String err = Fixtures.captureStderr(() -> log[0] = OutcomeLog.load(dir));

    assertThat(log[0].records()).extracting(QueryRecord::id).containsExactly("q1", "q2");
    assertThat(log[0].tornLinesSkipped()).isEqualTo(1);
    assertThat(log[0].badLinesSkipped()).isZero();
    assertThat(Fixtures.count(err, "WARN")).isEqualTo(1);
    assertThat(err).contains(dir.resolve("outcomes.jsonl") + " line 3: skipped a torn last line"
        + " (40 bytes");
  }

  // Issue 16.1: a line cut short in the middle of a log is damage, not a crash artefact.
  @Test
  void load_lineCutShortInTheMiddle_failsWithFileLineAndReason() throws IOException {
    OutcomeLogException e = loadWithBadLine2(goodLine("q2").substring(0, 40));
    assertThat(e.line()).hasValue(2);
    assertThat(e).hasMessageStartingWith(tmp.resolve("log").resolve("outcomes.jsonl")
        + " line 2: its JSON stops short (Unexpected end-of-input")
        .hasMessageEndingWith("only the last line of a log can be torn by an interrupted"
            + " append, so this line was damaged or edited: complete or delete it");
  }

  // Issue 16.1: a hand-edited line that lacks only its final brace.
  @Test
  void load_lineMissingOnlyItsFinalBrace_failsWithFileLineAndReason() throws IOException {
    String line = goodLine("q2");
    OutcomeLogException e = loadWithBadLine2(line.substring(0, line.length() - 1));
    assertThat(e).hasMessageStartingWith(tmp.resolve("log").resolve("outcomes.jsonl")
        + " line 2: its JSON stops short");
  }

  @Test
  void load_skipPolicy_skipsAndCountsEveryBadLine() throws Exception {
    String cut = goodLine("q3").substring(0, 40);
    Path dir = Fixtures.log(tmp.resolve("skip"), goodLine("q1"), cut, goodLine("q2"),
        "{\"id\": nope}", "", line("q4", "train", "[]"), goodLine("q5"));
    assertThatThrownBy(() -> OutcomeLog.load(dir)).isInstanceOf(OutcomeLogException.class);
    OutcomeLog[] log = new OutcomeLog[1];

    String err = Fixtures.captureStderr(
        () -> log[0] = OutcomeLog.load(dir, BadLinePolicy.SKIP));

    assertThat(log[0].records()).extracting(QueryRecord::id).containsExactly("q1", "q2", "q5");
    assertThat(log[0].badLinesSkipped()).isEqualTo(4);
    assertThat(log[0].tornLinesSkipped()).isZero();
    assertThat(Fixtures.count(err, "WARN")).isEqualTo(4);
    for (int n : new int[] {2, 4, 5, 6}) {
      assertThat(err).contains(dir.resolve("outcomes.jsonl") + " line " + n
          + ": skipped a bad line: ");
    }
  }

  // Issue 16.11: an empty query fails where it is, not later in the encoder.
  @Test
  void load_blankQuery_namesFileLineAndId() throws IOException {
    assertLine2(goodLine("q2").replace("\"question q2\"", "\"\""), "query 'q2': field"
        + " 'query' is blank (0 characters); a router reads the query text, so every query"
        + " needs some (fill it in or remove the line)");
  }

  // Issue 16.2: a null cost_usd is derived from price_per_mtok and the token counts.
  @Test
  void load_nullCostWithPricesAndTokens_derivesTheCost() throws IOException {
    String nullCost = goodLine("q2").replaceAll("\"cost_usd\":[^,}]*", "\"cost_usd\":null");
    Path dir = Fixtures.log(tmp.resolve("derived"), goodLine("q1"), nullCost);
    OutcomeLog log = OutcomeLog.load(dir);
    // small: 10 input tokens at $1/Mtok + 5 output tokens at $2/Mtok.
    assertThat(log.record("q2").orElseThrow().outcomesFor("small").get(0).cost())
        .hasValue((10 * 1.0 + 5 * 2.0) / 1e6);
    // big has neither a cost nor prices nor tokens: it stays unknown.
    assertThat(log.record("q2").orElseThrow().outcomesFor("big").get(0).cost()).isEmpty();
    assertThat(log.costs()).isEqualTo(new CostCoverage(1, 1, 2));
    assertThat(log.costs().none()).isFalse();
  }

  @Test
  void load_badLastLineWithNewline_isAnError() throws IOException {
    Path dir = Fixtures.log(tmp.resolve("badlast"), goodLine("q1"), "{\"id\": nope}");
    assertThatThrownBy(() -> OutcomeLog.load(dir))
        .hasMessageStartingWith(dir.resolve("outcomes.jsonl") + " line 2: not valid JSON: ");
  }

  @Test
  void load_completeLastLineWithoutNewline_isKept() throws IOException {
    Path dir = Fixtures.log(tmp.resolve("nonl"), goodLine("q1"));
    Files.writeString(dir.resolve("outcomes.jsonl"), goodLine("q1") + "\n" + goodLine("q2"));
    assertThat(OutcomeLog.load(dir).records()).hasSize(2);
  }

  @Test
  void of_validatesAndCanonicalises() {
    CandidateSet set = Fixtures.toyCandidates();
    QueryRecord r = QueryRecord.of("q1", "t", Split.TRAIN, "x", List.of(
        Outcome.of("small", ParameterValues.of(Map.of("temperature", 1)), 1.0, 0.01)));
    OutcomeLog log = OutcomeLog.of(set, List.of(r));

    assertThat(log.records().get(0).outcomes().get(0).params().asMap())
        .containsExactly(Map.entry("temperature", 1.0));
    assertThat(log.sha256()).matches("[0-9a-f]{64}");
  }

  @Test
  void of_unknownModel_namesRecord() {
    CandidateSet set = Fixtures.toyCandidates();
    QueryRecord r = QueryRecord.of("q1", "t", Split.TRAIN, "x",
        List.of(Outcome.of("huge", ParameterValues.empty(), 1.0, 0.01)));
    assertThatThrownBy(() -> OutcomeLog.of(set, List.of(r)))
        .isInstanceOf(OutcomeLogException.class)
        .hasMessage("in-memory outcome log 'toy' record 1: query 'q1': outcomes[0] (model"
            + " 'huge'): unknown model 'huge'; candidates.json declares [small, big]");
  }

  @Test
  void of_duplicateId_namesBothRecords() {
    CandidateSet set = Fixtures.toyCandidates();
    QueryRecord r = QueryRecord.of("q1", "t", Split.TRAIN, "x",
        List.of(Outcome.of("big", ParameterValues.empty(), 1.0, 0.01)));
    assertThatThrownBy(() -> OutcomeLog.of(set, List.of(r, r)))
        .hasMessage("in-memory outcome log 'toy' record 2: duplicate query id 'q1', first used"
            + " by record 1; ids must be unique");
  }
}
