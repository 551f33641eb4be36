import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.Truncation;
import dev.haps.train.embed.EmbeddingStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds every query of a benchmark (all splits) for the ceiling study in {@code ceiling.py}.
 * Writes {@code OUT} (float32 little-endian, one row per query in outcomes.jsonl order) and
 * {@code OUT.ids} (the query ids, one per line). Uses the trainer's embedding cache.
 *
 * <pre>
 * java -cp haps-cli/target/haps.jar docs/analysis/EmbedQueries.java DATA_DIR OUT \
 *     [--model FILE.onnx --tokenizer FILE.json] [--max-tokens N] [--truncation HEAD|TAIL|HEAD_TAIL]
 *     [--prefix TEXT] [--last-paragraph]
 * </pre>
 *
 * Without --model the default int8 all-MiniLM-L6-v2 is used. --prefix is prepended to every
 * text (e5 models expect "query: "); --last-paragraph keeps only the text after the last blank
 * line (the question of a few-shot prompt).
 */
public class EmbedQueries {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: EmbedQueries DATA_DIR OUT [options]; see the source's javadoc");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Path model = null;
    Path tokenizer = null;
    int maxTokens = 128;
    Truncation truncation = Truncation.TAIL;
    String prefix = "";
    boolean lastParagraph = false;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[++i]);
        case "--tokenizer" -> tokenizer = Path.of(args[++i]);
        case "--max-tokens" -> maxTokens = Integer.parseInt(args[++i]);
        case "--truncation" -> truncation = Truncation.valueOf(args[++i]);
        case "--prefix" -> prefix = args[++i];
        case "--last-paragraph" -> lastParagraph = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    OutcomeLog log = OutcomeLog.load(data);
    List<String> texts = new ArrayList<>();
    StringBuilder ids = new StringBuilder();
    for (QueryRecord r : log.records()) {
      String q = r.query();
      if (lastParagraph) {
        String[] parts = q.strip().split("\n\n");
        for (int p = parts.length - 1; p >= 0; p--) {
          if (!parts[p].isBlank()) {
            q = parts[p];
            break;
          }
        }
      }
      texts.add(prefix + q);
      ids.append(r.id()).append('\n');
    }
    OnnxQueryEncoder.Builder b = OnnxQueryEncoder.builder();
    if (model == null) {
      b.defaultModel();
    } else {
      b.model(model).tokenizer(tokenizer);
    }
    try (OnnxQueryEncoder enc = b.maxTokens(maxTokens).truncation(truncation).build()) {
      float[][] v = EmbeddingStore.open(enc, EmbeddingStore.defaultCacheDir()).embed(texts);
      ByteBuffer bb = ByteBuffer.allocate(v.length * v[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] row : v) {
        for (float f : row) {
          bb.putFloat(f);
        }
      }
      Files.write(out, bb.array());
      Files.writeString(Path.of(out + ".ids"), ids, StandardCharsets.UTF_8);
      System.err.println(out + ": " + v.length + " x " + v[0].length + " (" + enc.info().id() + ")");
    }
  }
}
