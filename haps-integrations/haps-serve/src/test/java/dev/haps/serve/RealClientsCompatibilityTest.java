package dev.haps.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK and LangChain4j's OpenAI models, pointed at {@code haps serve},
 * get routed completions, streamed and not, with tools; the upstream is an OpenAI-compatible
 * server on loopback.
 */
class RealClientsCompatibilityTest {

  @TempDir static Path dir;
  static ServeFixture fx;
  static OpenAIClient openai;

  @BeforeAll
  static void start() {
    fx = new ServeFixture(dir);
    openai = OpenAIOkHttpClient.builder()
        .apiKey(ServeFixture.KEY)
        .baseUrl(fx.server.url() + "/v1")
        .maxRetries(0)
        .build();
  }

  @AfterAll
  static void stop() {
    openai.close();
    fx.close();
  }

  @Test
  void openAiSdk_completion_withDecisionHeadersAndExtension() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("haps:0.3").addUserMessage("Name a prime number above 10.").build();
    HttpResponseFor<ChatCompletion> raw =
        openai.chat().completions().withRawResponse().create(params);
    assertThat(raw.statusCode()).isEqualTo(200);
    String model = raw.headers().values("x-haps-model").get(0);
    assertThat(model).isIn("gpt-4", "mixtral-8x7b", "claude-instant");
    assertThat(raw.headers().values("x-haps-cost-weight")).containsExactly("0.3");
    ChatCompletion c = raw.parse();
    assertThat(c.choices().get(0).message().content().orElseThrow())
        .contains("Name a prime number above 10.");
    JsonValue haps = c._additionalProperties().get("haps");
    Map<?, ?> ext = haps.convert(Map.class);
    assertThat(ext.get("model")).isEqualTo(model);
    assertThat(ext.get("call_id")).isNotNull();
  }

  @Test
  void openAiSdk_streaming() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("haps").addUserMessage("Stream a short answer.").build();
    StringBuilder text = new StringBuilder();
    int[] chunks = {0};
    try (StreamResponse<ChatCompletionChunk> s =
        openai.chat().completions().createStreaming(params)) {
      s.stream().forEach(ch -> {
        chunks[0]++;
        ch.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
      });
    }
    assertThat(text.toString()).contains("Stream a short answer.");
    assertThat(chunks[0]).isGreaterThan(2);
  }

  @Test
  void openAiSdk_tools() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("haps")
        .addUserMessage("What is the weather in Paris?")
        .addFunctionTool(FunctionDefinition.builder().name("weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties",
                    JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build())
            .build())
        .build();
    ChatCompletion c = openai.chat().completions().create(params);
    List<ChatCompletionMessageToolCall> calls =
        c.choices().get(0).message().toolCalls().orElseThrow();
    assertThat(calls.get(0).asFunction().function().name()).isEqualTo("weather");
    assertThat(calls.get(0).asFunction().function().arguments()).contains("Paris");
  }

  @Test
  void langChain4j_chatModel_routedCompletion_andTools() {
    OpenAiChatModel model = OpenAiChatModel.builder()
        .baseUrl(fx.server.url() + "/v1")
        .apiKey(ServeFixture.KEY)
        .modelName("haps")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
    assertThat(model.chat("What is two plus two?")).contains("What is two plus two?");
    ChatResponse r = model.chat(ChatRequest.builder()
        .messages(UserMessage.from("Weather in Paris?"))
        .toolSpecifications(ToolSpecification.builder().name("weather")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").build())
            .build())
        .build());
    assertThat(r.aiMessage().toolExecutionRequests()).hasSize(1);
    assertThat(r.aiMessage().toolExecutionRequests().get(0).name()).isEqualTo("weather");
  }

  @Test
  void langChain4j_streamingChatModel() throws Exception {
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
        .baseUrl(fx.server.url() + "/v1")
        .apiKey(ServeFixture.KEY)
        .modelName("haps:0.7")
        .timeout(Duration.ofSeconds(20))
        .build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    model.chat("Stream this back to me", new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String s) {
        partial.append(s);
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    ChatResponse r = done.get(30, TimeUnit.SECONDS);
    assertThat(partial.toString()).contains("Stream this back to me");
    assertThat(r.aiMessage().text()).isEqualTo(partial.toString());
  }
}
