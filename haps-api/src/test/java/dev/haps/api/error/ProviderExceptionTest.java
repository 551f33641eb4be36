package dev.haps.api.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ProviderException.Kind;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 16.21: the exception is built by named fields, not six positional arguments. */
class ProviderExceptionTest {

  @Test
  void builder_namesEachField() {
    IOException cause = new IOException("reset");
    ProviderException e = ProviderException.builder("local", Kind.RATE_LIMITED)
        .status(429).retryAfter(Duration.ofSeconds(2)).cause(cause)
        .message("provider 'local': HTTP 429; retry after 2 s").build();
    assertThat(e.provider()).isEqualTo("local");
    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(e.retryable()).isTrue();
    assertThat(e).hasMessage("provider 'local': HTTP 429; retry after 2 s");

    ProviderException bare = ProviderException.builder("local", Kind.UNSUPPORTED)
        .message("no streaming").build();
    assertThat(bare.status()).isZero();
    assertThat(bare.retryAfter()).isEmpty();
    assertThat(bare.getCause()).isNull();
  }

  @Test
  void builder_refusesMissingMessageAndBadStatus() {
    assertThatThrownBy(() -> ProviderException.builder("local", Kind.TIMEOUT).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a ProviderException of provider 'local' (TIMEOUT) needs a message saying"
            + " what failed and what to do");
    assertThatThrownBy(() -> ProviderException.builder("local", Kind.TIMEOUT).status(0))
        .hasMessage("HTTP status must be in [100, 599], got 0; leave it unset when the failure"
            + " had none");
  }
}
