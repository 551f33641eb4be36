package dev.haps.bench;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RuntimeDiagnostics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cold start of {@code HapsRouter.withDefaults()} to the first decision, each iteration in a
 * fresh JVM (issue 17): prints the median, minimum and maximum over the iterations of
 *
 * <ul>
 *   <li>{@code jvm to main}: from the JVM's start to {@code main};
 *   <li>{@code withDefaults}: the call, on the caller's thread;
 *   <li>{@code first route}: the first {@code route()} after it (an uncached query);
 *   <li>{@code to first decision}: both together, the figure the 1.0 s target is about;
 *   <li>{@code class loading}: time the JVM spent loading and linking classes in the process
 *       (all threads; HotSpot's own counter), part of every step below;
 *   <li>one line per start-up step ({@code haps.startup.trace}): its duration and the thread it
 *       ran on, so that overlapping steps show as such (bundle, tokenizer, ONNX Runtime
 *       environment, encoder session, encoder warm-up, router session).
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.haps.bench.ColdStart [iterations] [out.md]}
 * (default 10 iterations). The child JVMs run with the same {@code java} and class path and no
 * extra options besides the trace property and the export that exposes the class-loading counter.
 *
 * @since 0.1.0
 */
public final class ColdStart {

  static final String QUERY =
      "A trader sold an article at a profit of 20% for Rs.360. What is the cost price?";

  private ColdStart() {}

  /**
   * Runs the parent (no arguments or {@code [iterations] [out.md]}) or one child
   * ({@code --child}).
   *
   * @param args see the class comment
   * @throws Exception if a child fails or the output cannot be written
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child();
      return;
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path out = args.length > 1 ? Path.of(args[1]) : null;
    String load0 = loadAverage();
    Map<String, List<Double>> figures = new LinkedHashMap<>();
    Map<String, String> threads = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      for (String line : runChild()) {
        // "figure<TAB>ms" or "step<TAB>name<TAB>ms<TAB>thread"
        String[] f = line.split("\t");
        if (f[0].equals("figure")) {
          figures.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[2]));
        } else if (f[0].equals("step")) {
          figures.computeIfAbsent("step: " + f[1], k -> new ArrayList<>())
              .add(Double.parseDouble(f[2]));
          threads.put("step: " + f[1], f[3]);
          figures.computeIfAbsent("step: " + f[1] + " (CPU)", k -> new ArrayList<>())
              .add(Double.parseDouble(f[4]));
          threads.put("step: " + f[1] + " (CPU)", f[3]);
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Cold start, %d fresh JVMs, %d cores, load %s before,"
        + " %s after; %s%n%n", n, Runtime.getRuntime().availableProcessors(), load0,
        loadAverage(), System.getProperty("java.vm.name") + " " + System.getProperty(
            "java.version")));
    md.append("| figure (ms) | median | min | max | thread |\n|---|---:|---:|---:|---|\n");
    for (Map.Entry<String, List<Double>> e : figures.entrySet()) {
      double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %s |%n", e.getKey(),
          median(v), v[0], v[v.length - 1], threads.getOrDefault(e.getKey(), "")));
    }
    System.out.print(md);
    if (out != null) {
      Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> runChild() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Dhaps.startup.trace=true",
        "--add-exports", "java.management/sun.management=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), ColdStart.class.getName(), "--child")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(l);
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("cold-start child failed with exit code " + p.exitValue());
    }
    return lines;
  }

  /** One cold start; prints tab-separated figures and steps on stdout. */
  private static void child() throws Exception {
    long wallAtMain = System.currentTimeMillis();
    long t0 = System.nanoTime();
    HapsRouter router = HapsRouter.withDefaults();
    long t1 = System.nanoTime();
    RouteDecision d = router.route(RouteRequest.of(QUERY, 0.3));
    long t2 = System.nanoTime();
    // Everything below runs after the measured part, so it cannot warm it up.
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    List<String> out = new ArrayList<>();
    out.add("figure\tjvm to main\t" + (wallAtMain - jvmStart));
    out.add("figure\twithDefaults\t" + ms(t1 - t0));
    out.add("figure\tfirst route\t" + ms(t2 - t1));
    out.add("figure\tto first decision\t" + ms(t2 - t0));
    out.add("figure\tJVM start to first decision\t" + (wallAtMain - jvmStart + ms(t2 - t0)));
    out.add("figure\tclass loading (all threads)\t" + classLoadingMillis());
    out.add("figure\tprocess CPU to first decision\t" + processCpuMillis());
    for (RuntimeDiagnostics.StartupStep s : RuntimeDiagnostics.startupSteps()) {
      out.add("step\t" + s.step() + "\t" + ms(s.endNanos() - s.startNanos()) + "\t"
          + (s.thread().startsWith("haps-") ? s.thread() : "caller") + "\t" + ms(s.cpuNanos()));
    }
    router.close();
    if (d.model().isBlank()) {
      throw new IllegalStateException("no decision");
    }
    out.forEach(System.out::println);
  }

  /** CPU time of the whole process so far (all threads, JIT and GC included), or -1. */
  private static double processCpuMillis() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e6;
    }
    return -1;
  }

  /** HotSpot's class-loading time, or -1 where the counter is not reachable. */
  private static double classLoadingMillis() {
    try {
      Class<?> helper = Class.forName("sun.management.ManagementFactoryHelper");
      Object bean = helper.getMethod("getHotspotClassLoadingMBean").invoke(null);
      Class<?> type = Class.forName("sun.management.HotspotClassLoadingMBean");
      return ((Number) type.getMethod("getClassLoadingTime").invoke(bean)).doubleValue();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e5) / 10.0;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return String.join(" ", Arrays.copyOf(f, 3));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
