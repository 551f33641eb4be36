package dev.haps.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonProblemsTest {

  @Test
  void message_keepsTheReason_dropsJacksonsRedactedSourceAndStartMarker() {
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
        () -> new ObjectMapper().readTree("{\"a\": [1,\n 2"));
    assertThat(e.getOriginalMessage()).contains("REDACTED"); // what Jackson gives
    assertThat(JsonProblems.message(e))
        .startsWith("Unexpected end-of-input")
        .doesNotContain("REDACTED", "StreamReadFeature", "start marker", "\n");
  }
}
