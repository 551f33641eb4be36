package dev.haps.collect;

import dev.haps.api.error.ConfigurationException;
import dev.haps.data.Configuration;
import dev.haps.data.Split;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryFileTest {

  @TempDir Path dir;

  @Test
  void jsonLines_readIdsTasksAnswersAndSplitsAndIgnoreOtherFields() {
    Path f = QuizBackend.write(dir.resolve("q.jsonl"),
        "{\"id\": \"a\", \"task\": \"math\", \"query\": \"1+1?\", \"answer\": 2, \"split\": \"test\","
            + " \"outcomes\": []}\n\n"
            + "{\"id\": 7, \"query\": \"Capital of France?\", \"reference\": \"Paris\"}\n"
            + "{\"query\": \"no id\"}\n");
    List<CollectQuery> qs = QueryFile.read(f, "general");
    assertThat(qs).hasSize(3);
    assertThat(qs.get(0)).isEqualTo(new CollectQuery("a", "math", "1+1?",
        java.util.Optional.of("2"), java.util.Optional.of(Split.TEST)));
    assertThat(qs.get(1).id()).isEqualTo("7");
    assertThat(qs.get(1).task()).isEqualTo("general");
    assertThat(qs.get(1).answer()).hasValue("Paris");
    assertThat(qs.get(2).id()).isEqualTo(QueryFile.idOf("no id")).startsWith("q-").hasSize(14);
  }

  @Test
  void plainText_eachLineIsAQueryWithAnIdFromItsText() {
    Path f = QuizBackend.write(dir.resolve("q.txt"), "What is 2+2?\n  \nName a prime.\n");
    List<CollectQuery> qs = QueryFile.read(f, "default");
    assertThat(qs).extracting(CollectQuery::query).containsExactly("What is 2+2?",
        "Name a prime.");
    assertThat(qs.get(0).id()).isEqualTo(QueryFile.idOf("What is 2+2?"));
    assertThat(qs.get(0).answer()).isEmpty();
  }

  @Test
  void problems_nameTheFileTheLineAndTheFix() {
    Path dup = QuizBackend.write(dir.resolve("dup.txt"), "same\nother\nsame\n");
    assertThatThrownBy(() -> QueryFile.read(dup, "d"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dup.txt line 3: query id '" + QueryFile.idOf("same")
            + "' is already used on line 1 (the same text)");
    Path bad = QuizBackend.write(dir.resolve("bad.jsonl"), "{\"query\": \"ok\"}\n{\"query\": 3}\n");
    assertThatThrownBy(() -> QueryFile.read(bad, "d"))
        .hasMessageContaining("bad.jsonl line 2: needs a non-blank string \"query\"");
    Path split = QuizBackend.write(dir.resolve("s.jsonl"), "{\"query\": \"x\", \"split\": \"dev\"}\n");
    assertThatThrownBy(() -> QueryFile.read(split, "d"))
        .hasMessageContaining("\"split\" is 'dev'; use train, valid or test");
    Path torn = QuizBackend.write(dir.resolve("t.jsonl"), "{\"query\": \"x\"\n");
    assertThatThrownBy(() -> QueryFile.read(torn, "d"))
        .hasMessageContaining("t.jsonl line 1: not a JSON object");
    Path empty = QuizBackend.write(dir.resolve("e.txt"), "\n\n");
    assertThatThrownBy(() -> QueryFile.read(empty, "d")).hasMessageContaining("holds no query");
  }

  @Test
  void splits_comeFromTheIdAloneInTheGivenShares() {
    Splits s = new Splits(0.6, 0.2);
    int[] n = new int[3];
    for (int i = 0; i < 3000; i++) {
      n[s.of("id-" + i).ordinal()]++;
      assertThat(s.of("id-" + i)).isEqualTo(new Splits(0.6, 0.2).of("id-" + i));
    }
    assertThat(n[Split.TRAIN.ordinal()]).isBetween(1700, 1900);
    assertThat(n[Split.VALID.ordinal()]).isBetween(520, 680);
    assertThat(n[Split.TEST.ordinal()]).isBetween(520, 680);
    assertThatThrownBy(() -> new Splits(0.9, 0.2)).hasMessageContaining("sum to at most 1");
  }

  @Test
  void rateLimiter_spacesStartsEvenlyAndBoundsCallsAtOnce() throws Exception {
    long[] now = {0};
    List<Long> waits = new java.util.ArrayList<>();
    RateLimiter r = new RateLimiter(120, 0, () -> now[0], n -> {
      waits.add(n);
    });
    for (int i = 0; i < 4; i++) {
      r.acquire();
      r.release();
    }
    // 120 a minute: one start every 0.5 s; the first at once.
    assertThat(waits).containsExactly(500_000_000L, 1_000_000_000L, 1_500_000_000L);
    now[0] = 10_000_000_000L; // long idle: no burst credit is saved up
    waits.clear();
    r.acquire();
    r.acquire();
    assertThat(waits).containsExactly(500_000_000L);
    RateLimiter one = new RateLimiter(0, 1, () -> 0, n -> { });
    one.acquire();
    Thread t = new Thread(() -> {
      try {
        one.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    t.start();
    t.join(200);
    assertThat(t.isAlive()).as("a second call waits for the one slot").isTrue();
    one.release();
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
  }

  @Test
  void configurationKey_isStableAndSortedByParameterName() {
    Configuration c = new Configuration("m", dev.haps.api.params.ParameterValues.builder()
        .put("temperature", 0.7).put("prompt_style", "concise").put("max_tokens", 64L).build());
    assertThat(c.key()).isEqualTo("m max_tokens=64 prompt_style=concise temperature=0.7");
    assertThat(new Configuration("m", dev.haps.api.params.ParameterValues.empty()).key())
        .isEqualTo("m");
  }
}
