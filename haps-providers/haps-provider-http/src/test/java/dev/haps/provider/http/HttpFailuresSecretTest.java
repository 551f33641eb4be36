package dev.haps.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.haps.api.error.ProviderException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A backend that answers with the API key as its body must not put the key in any trace. */
class HttpFailuresSecretTest {

  private static final String KEY = "sk_live_ABCdef123456789XYZ";

  @Test
  void malformed_bodyEchoingTheKey_keyInNoMessageOrCause() {
    IOException parse = catchThrowableOfType(IOException.class,
        () -> Json.parse(KEY.getBytes(StandardCharsets.UTF_8)));
    assertThat(parse.getMessage()).contains(KEY); // what the JSON parser says, verbatim

    ProviderException e = HttpFailures.malformed("p", "m", "the body is not JSON", parse);

    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(KEY)
        .contains("JsonParseException at line 1, column");
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.MALFORMED_RESPONSE);
    assertThat(e.getCause()).isInstanceOf(IOException.class);
    assertThat(e.getCause().getStackTrace()).isEqualTo(parse.getStackTrace());
  }

  @Test
  void malformed_otherCause_keptAsIs() {
    IllegalStateException cause = new IllegalStateException("x");
    assertThat(HttpFailures.malformed("p", "m", "what", cause).getCause()).isSameAs(cause);
    assertThat(HttpFailures.malformed("p", "m", "what", null).getCause()).isNull();
  }
}
