package dev.haps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuerySetTest {

  @Test
  void load_givesTheFixedOddSizedSetOfDistinctVariedQueries() {
    List<String> q = QuerySet.load();

    assertThat(q).hasSize(QuerySet.SIZE).doesNotContainNull();
    assertThat(QuerySet.SIZE % 2).as("odd, so JMH's 2^k sampling stride visits every query")
        .isEqualTo(1);
    assertThat(new HashSet<>(q)).hasSize(q.size());
    assertThat(q).allSatisfy(s -> assertThat(s).isNotBlank());
    int shortest = q.stream().mapToInt(String::length).min().orElseThrow();
    int longest = q.stream().mapToInt(String::length).max().orElseThrow();
    assertThat(shortest).isLessThan(200);
    assertThat(longest).isGreaterThan(4_000);
  }

  @Test
  void load_isDeterministic() {
    assertThat(QuerySet.load()).isEqualTo(QuerySet.load());
  }
}
