package dev.haps.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.client.CallResult;
import org.junit.jupiter.api.Test;

class CustomProviderPluginTest {

  @Test
  void run_discoversTheEchoPluginAndCallsItThroughTheRoutingClient() {
    Output out = new Output();

    CallResult r = CustomProviderPlugin.run(out.stream, "Say hello to the plugin.");

    assertThat(r.provider()).isEqualTo("my-echo");
    assertThat(r.backendModel()).isEqualTo("echo-1");
    assertThat(r.text()).isEqualTo("Say hello to the plugin.");
    assertThat(r.candidate()).isIn("gpt-4", "gpt-35-turbo");
    assertThat(out.text()).contains("installed provider types: [", "echo",
        "echo: echo: answers with the user's last turn", "-> my-echo/echo-1",
        "answer:     Say hello to the plugin.");
  }
}
