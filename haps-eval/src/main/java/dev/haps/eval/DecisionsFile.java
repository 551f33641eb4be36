package dev.haps.eval;

import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.OutcomeTable;
import dev.haps.data.Configuration;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.haps.api.params.ParameterValues;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@code decisions.jsonl}: one line per (router, cost weight, query) with the recorded
 * configuration the decision was scored with, and the router's own parameters when snapping
 * changed them ({@code raw_params}).
 */
final class DecisionsFile {

  private DecisionsFile() {}

  /** One router's decisions: choices[w][q] and, when the router produced its own, raw[w][q]. */
  record Entry(String router, int[][] choices, Decision[][] raw) {}

  static void write(Path file, boolean gzip, OutcomeTable table, double[] grid,
      List<Entry> entries) {
    JsonFactory f = new JsonFactory();
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = new BufferedOutputStream(gzip ? new GZIPOutputStream(raw) : raw,
            1 << 16);
        JsonGenerator g = f.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
      List<Configuration> configs = table.configurations();
      for (Entry e : entries) {
        for (int w = 0; w < grid.length; w++) {
          for (int q = 0; q < table.size(); q++) {
            Configuration c = configs.get(e.choices()[w][q]);
            g.writeStartObject();
            g.writeStringField("router", e.router());
            g.writeNumberField("cost_weight", grid[w]);
            g.writeStringField("id", table.id(q));
            g.writeStringField("model", c.model());
            g.writeFieldName("params");
            params(g, c.params());
            if (e.raw() != null) {
              Decision d = e.raw()[w][q];
              if (!d.params().equals(c.params()) || !d.model().equals(c.model())) {
                g.writeFieldName("raw_params");
                params(g, d.params());
              }
            }
            g.writeEndObject();
          }
        }
      }
      g.writeRaw('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the decisions file " + file
          + "; check that the folder is writable and has space", ex);
    }
  }

  private static void params(JsonGenerator g, ParameterValues p) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Object> e : p.asMap().entrySet()) {
      Object v = e.getValue();
      g.writeFieldName(e.getKey());
      if (v instanceof Long l) {
        g.writeNumber(l);
      } else if (v instanceof Double d) {
        g.writeNumber(d);
      } else if (v instanceof float[] a) {
        g.writeStartArray();
        for (float x : a) {
          g.writeNumber(x);
        }
        g.writeEndArray();
      } else {
        g.writeString(String.valueOf(v));
      }
    }
    g.writeEndObject();
  }
}
