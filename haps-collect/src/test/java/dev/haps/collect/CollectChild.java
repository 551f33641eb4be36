package dev.haps.collect;

import java.nio.file.Path;

/**
 * A collector in a JVM of its own, for {@link CollectorKillTest}: collects with the given
 * configuration, queries and output folder, forcing every journal line to disk, and prints
 * "done" when the run finished. The test kills it with SIGKILL part-way.
 */
public final class CollectChild {

  private CollectChild() {}

  /**
   * Runs one collection.
   *
   * @param args the configuration file, the queries file, the output folder
   */
  public static void main(String[] args) {
    try (Collector c = Collector.builder().config(Path.of(args[0])).queries(Path.of(args[1]))
        .output(Path.of(args[2])).concurrency(4).fsync(true).build()) {
      System.out.println("started");
      System.out.flush();
      CollectSummary s = c.run();
      System.out.println("done " + s.graded());
    }
  }
}
