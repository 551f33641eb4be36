package dev.haps.examples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.testing.ChatAnswer;
import dev.haps.testing.LoopbackServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

@ExtendWith(OutputCaptureExtension.class)
class RoutedSpringAiApplicationTest {

  @Test
  void theApplicationsQuestion_isRoutedToOneOfItsTwoModels(CapturedOutput output) {
    try (LoopbackServer server = LoopbackServer.start()
        .chat(r -> ChatAnswer.of("answer from " + r.model()))) {
      try (ConfigurableApplicationContext ctx = SpringApplication.run(
          RoutedSpringAiApplication.class, "--app.base-url=" + server.url(""),
          "--app.fast-model=small", "--app.smart-model=large", "What is 17 times 23?")) {
        String model = server.lastRequest().model();
        assertThat(model).isIn("small", "large");
        assertThat(output.getOut()).contains("answer from " + model)
            .contains("-- answered by " + (model.equals("large") ? "gpt-4" : "gpt-35-turbo"));
      }
    }
  }
}
