package dev.haps.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static List<SseEvent> read(String text) throws IOException {
    SseReader r = new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    List<SseEvent> out = new ArrayList<>();
    Optional<SseEvent> e;
    while ((e = r.next()).isPresent()) {
      out.add(e.get());
    }
    return out;
  }

  @Test
  void next_multiLineDataAndNamedEvents_areAssembled() throws IOException {
    assertThat(read("event: a\ndata: one\ndata: two\n\ndata:three\n\n")).containsExactly(
        new SseEvent("a", "one\ntwo"), new SseEvent("message", "three"));
  }

  @Test
  void next_crlfCommentsAndUnknownFields_areHandled() throws IOException {
    assertThat(read(": keep-alive\r\nid: 7\r\nretry: 100\r\ndata: x\r\n\r\n"))
        .containsExactly(new SseEvent("message", "x"));
  }

  @Test
  void next_eventCutByEndOfStream_isDiscarded() throws IOException {
    assertThat(read("data: whole\n\ndata: {\"half\":")).containsExactly(
        new SseEvent("message", "whole"));
  }

  @Test
  void next_blankLinesWithoutData_dispatchNothing() throws IOException {
    assertThat(read("\n\nevent: ping\n\n\n")).isEmpty();
  }
}
