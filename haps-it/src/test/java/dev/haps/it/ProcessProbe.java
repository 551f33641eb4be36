package dev.haps.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** What this JVM holds from the operating system: resident memory, heap, threads, descriptors. */
final class ProcessProbe {

  private ProcessProbe() {}

  /** Resident set size in KiB from /proc/self/status (VmRSS), or -1 where /proc is missing. */
  static long rssKib() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
      for (String l : lines) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Heap in use after a full collection, in KiB. */
  static long heapUsedAfterGcKib() {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    // Two rounds: the first may only queue finalisable and soft-referenced objects.
    for (int i = 0; i < 2; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best / 1024;
  }

  /**
   * What the JVM itself accounts for, in KiB: committed heap, committed non-heap (code cache,
   * metaspace) and direct buffers. RSS minus this is mostly native memory outside the JVM's
   * books: ONNX Runtime, the tokenizer, malloc arenas, thread stacks.
   */
  static long jvmAccountedKib() {
    java.lang.management.MemoryMXBean m = java.lang.management.ManagementFactory
        .getMemoryMXBean();
    long sum = m.getHeapMemoryUsage().getCommitted() + m.getNonHeapMemoryUsage().getCommitted();
    for (java.lang.management.BufferPoolMXBean b : java.lang.management.ManagementFactory
        .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
      sum += b.getMemoryUsed();
    }
    return sum / 1024;
  }

  /** Open file descriptors of this process, or -1 where /proc is missing. */
  static int openFileDescriptors() {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return (int) s.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Live threads. */
  static int threads() {
    return Thread.getAllStackTraces().size();
  }

  static String mib(long kib) {
    return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
  }

  static String percent(long from, long to) {
    return String.format(Locale.ROOT, "%+.2f%%", 100.0 * (to - from) / Math.max(1, from));
  }
}
