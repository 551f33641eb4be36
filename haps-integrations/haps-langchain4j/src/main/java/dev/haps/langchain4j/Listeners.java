package dev.haps.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifies the HAPS model's own listeners of each real call (the chosen model's request, with its
 * generated parameters). A listener that throws is logged and does not break the call, as in
 * LangChain4j's own models.
 */
final class Listeners {

  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  static void onRequest(List<ChatModelListener> listeners, ChatRequest request,
      ModelProvider provider, Map<Object, Object> attributes) {
    for (ChatModelListener l : listeners) {
      try {
        l.onRequest(new ChatModelRequestContext(request, provider, attributes));
      } catch (RuntimeException e) {
        LOG.warn("chat model listener {} failed in onRequest: {}", l, e.toString());
      }
    }
  }

  static void onResponse(List<ChatModelListener> listeners, ChatResponse response,
      ChatRequest request, ModelProvider provider, Map<Object, Object> attributes) {
    for (ChatModelListener l : listeners) {
      try {
        l.onResponse(new ChatModelResponseContext(response, request, provider, attributes));
      } catch (RuntimeException e) {
        LOG.warn("chat model listener {} failed in onResponse: {}", l, e.toString());
      }
    }
  }

  static void onError(List<ChatModelListener> listeners, Throwable error, ChatRequest request,
      ModelProvider provider, Map<Object, Object> attributes) {
    for (ChatModelListener l : listeners) {
      try {
        l.onError(new ChatModelErrorContext(error, request, provider, attributes));
      } catch (RuntimeException e) {
        LOG.warn("chat model listener {} failed in onError: {}", l, e.toString());
      }
    }
  }
}
