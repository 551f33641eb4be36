package dev.haps.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One HTTP/1.1 request as parsed off the wire (Content-Length or chunked body). */
record WireRequest(String method, String path, Map<String, List<String>> headers,
    String body) {

  private static final int MAX_HEAD = 64 * 1024;

  boolean wantsClose() {
    List<String> c = headers.get("connection");
    return c != null && c.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
  }

  /**
   * Reads one request, or null at a clean end of stream before any byte. A client that expects
   * {@code 100 Continue} before sending its body gets it on {@code out}.
   */
  static WireRequest read(InputStream in, OutputStream out) throws IOException {
    String head = readHead(in);
    if (head == null) {
      return null;
    }
    String[] lines = head.split("\r\n");
    String[] start = lines[0].split(" ");
    if (start.length < 2) {
      throw new IOException("not an HTTP request line: " + lines[0]);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
      }
    }
    List<String> expect = headers.get("expect");
    if (expect != null && expect.stream().anyMatch(v -> v.equalsIgnoreCase("100-continue"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body;
    List<String> te = headers.get("transfer-encoding");
    if (te != null && te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
      body = readChunked(in);
    } else {
      List<String> cl = headers.get("content-length");
      int length = cl == null ? 0 : Integer.parseInt(cl.get(0).trim());
      body = in.readNBytes(length);
      if (body.length < length) {
        throw new IOException("request body cut");
      }
    }
    String target = start[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, List<String>> frozen = new LinkedHashMap<>();
    headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new WireRequest(start[0], decode(path),
        Collections.unmodifiableMap(frozen), new String(body, StandardCharsets.UTF_8));
  }

  private static String decode(String rawPath) {
    try {
      return URI.create(rawPath).getPath();
    } catch (IllegalArgumentException notAUri) {
      return rawPath;
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        if (head.length() == 0) {
          return null;
        }
        throw new IOException("request cut in its head");
      }
      head.append((char) c);
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1
          || state == 3)) ? state + 1 : (c == '\r' ? 1 : 0);
      if (head.length() > MAX_HEAD) {
        throw new IOException("request head too large");
      }
    }
    return head.substring(0, head.length() - 4);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(),
          16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers: ignored
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        throw new IOException("request chunk cut");
      }
      body.write(chunk);
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    if (c < 0) {
      throw new IOException("request cut");
    }
    return sb.toString();
  }
}
