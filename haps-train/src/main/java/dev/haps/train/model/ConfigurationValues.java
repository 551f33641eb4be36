package dev.haps.train.model;

/**
 * Value heads' per-configuration predictions on rows of a table, in the problem's configuration
 * order, and the table and problem views that cross-validation needs. Each prediction row is
 * {@code 2·G} values: the G score logits, then the G log-costs (cost-scale units, log of cost +
 * 10⁻³).
 *
 * @since 0.1.0
 */
public final class ConfigurationValues {

  private ConfigurationValues() {}

  /**
   * A network's predictions (generators plus linear path, if it has one).
   *
   * @param net the network (value heads)
   * @param problem the problem it was built for
   * @param table the table
   * @param rows the rows of the table
   * @param costWeight the cost weight, read only when the trunk reads it
   * @return {@code rows.length × 2G}, row-major
   */
  public static double[] of(HapsNetwork net, TrainingProblem problem, SplitTable table,
      int[] rows, double costWeight) {
    SplitTable t = rows(table, rows);
    double[] x = Shard.inputs(net.spec(), t, costWeight);
    HapsNetwork.Pass pass = net.forward(x, t.n());
    return gather(problem, pass.out, t.n());
  }

  /**
   * A linear path's predictions alone.
   *
   * @param path the path
   * @param problem the problem it was fitted for
   * @param table the table
   * @param rows the rows of the table
   * @return {@code rows.length × 2G}, row-major
   */
  public static double[] of(LinearPath path, TrainingProblem problem, SplitTable table,
      int[] rows) {
    SplitTable t = rows(table, rows);
    int k = problem.candidateCount();
    double[][] out = new double[k][];
    for (int c = 0; c < k; c++) {
      out[c] = new double[t.n() * 2 * problem.configurationsOf(c).length];
      path.addTo(t.x(), t.n(), t.baseDim(), c, out[c]);
    }
    return gather(problem, out, t.n());
  }

  private static double[] gather(TrainingProblem problem, double[][] out, int n) {
    int g = problem.configurationCount();
    double[] z = new double[n * 2 * g];
    for (int gi = 0; gi < g; gi++) {
      int c = problem.candidateOf(gi);
      int cc = problem.configurationsOf(c).length;
      int j = problem.localIndex(gi);
      for (int i = 0; i < n; i++) {
        z[i * 2 * g + gi] = out[c][i * 2 * cc + j];
        z[i * 2 * g + g + gi] = out[c][i * 2 * cc + cc + j];
      }
    }
    return z;
  }

  /**
   * Some rows of a table, in the given order.
   *
   * @param t the table
   * @param rows the rows
   * @return a new table
   */
  public static SplitTable rows(SplitTable t, int[] rows) {
    int d = t.baseDim();
    int g = t.configurations();
    int n = rows.length;
    double[] x = new double[n * d];
    double[] s = new double[n * g];
    double[] c = new double[n * g];
    boolean[] e = new boolean[n * g];
    double[] w = new double[n * g];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      int r = rows[i];
      System.arraycopy(t.x(), r * d, x, i * d, d);
      System.arraycopy(t.score(), r * g, s, i * g, g);
      System.arraycopy(t.cost(), r * g, c, i * g, g);
      System.arraycopy(t.exact(), r * g, e, i * g, g);
      System.arraycopy(t.weight(), r * g, w, i * g, g);
      p[i] = t.propensity()[r];
    }
    return new SplitTable(n, d, x, s, c, e, g, w, p);
  }

  /**
   * Two tables stacked: {@code a}'s rows, then {@code b}'s.
   *
   * @param a the first table
   * @param b the second table, same widths
   * @return a new table
   * @throws IllegalArgumentException if the widths differ
   */
  public static SplitTable concat(SplitTable a, SplitTable b) {
    if (a.baseDim() != b.baseDim() || a.configurations() != b.configurations()) {
      throw new IllegalArgumentException("tables differ in width: " + a.baseDim() + "/"
          + a.configurations() + " and " + b.baseDim() + "/" + b.configurations());
    }
    return new SplitTable(a.n() + b.n(), a.baseDim(), join(a.x(), b.x()),
        join(a.score(), b.score()), join(a.cost(), b.cost()), join(a.exact(), b.exact()),
        a.configurations(), join(a.weight(), b.weight()),
        join(a.propensity(), b.propensity()));
  }

  private static double[] join(double[] a, double[] b) {
    double[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static boolean[] join(boolean[] a, boolean[] b) {
    boolean[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * The same problem over other tables.
   *
   * @param p the problem
   * @param train the new {@code train} table
   * @param valid the new {@code valid} table
   * @return the problem
   */
  public static TrainingProblem withTables(TrainingProblem p, SplitTable train,
      SplitTable valid) {
    return TrainingProblem.builder().train(train).valid(valid).candidates(p.candidates())
        .configurations(p.configurations()).resolver(p.resolver()).tradeoff(p.tradeoff())
        .embeddingDim(p.embeddingDim()).failureAugmentation(p.failureAugmentation()).build();
  }
}
