package dev.haps.eval;

import dev.haps.data.tradeoff.Hull;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws {@code cost-quality.png}: mean score against mean cost per query (log scale), one colour
 * per router with its sweep points as markers and its hull as a line, the fixed configurations as
 * grey diamonds with their hull dashed, and the oracle's hull dotted. Costs outside the common
 * range are shaded. Drawn with Java2D, headless.
 */
final class CostQualityPlot {

  private static final int W = 1500;
  private static final int H = 950;
  private static final int LEFT = 100;
  private static final int RIGHT = 400;
  private static final int TOP = 70;
  private static final int BOTTOM = 90;

  private static final Color[] PALETTE = {
    new Color(0xD6, 0x27, 0x28), // the main HAPS bundle only
    new Color(0x1F, 0x77, 0xB4),
    new Color(0x2C, 0xA0, 0x2C),
    new Color(0xFF, 0x7F, 0x0E),
    new Color(0x94, 0x67, 0xBD),
    new Color(0x8C, 0x56, 0x4B),
    new Color(0xE3, 0x77, 0xC2),
    new Color(0x17, 0xBE, 0xCF),
    new Color(0xBC, 0xBD, 0x22),
    new Color(0x39, 0x3B, 0x79),
    new Color(0x7F, 0x7F, 0x7F),
    new Color(0x63, 0x79, 0x39),
  };

  private CostQualityPlot() {}

  /**
   * Writes the plot as a PNG file.
   *
   * @param report the report
   * @param file the file (replaced)
   * @throws UncheckedIOException if the file cannot be written
   */
  static void write(EvalReport report, Path file) {
    try {
      Files.write(file, png(report));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plot " + file, e);
    }
  }

  /**
   * The plot as PNG bytes.
   *
   * @param report the report
   * @return the PNG
   */
  static byte[] png(EvalReport report) {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      draw(g, report);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the plot as PNG", e);
    }
    return out.toByteArray();
  }

  private static void draw(Graphics2D g, EvalReport report) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    Yardstick y = report.yardstick();

    // Data bounds over every point drawn.
    double minC = Double.POSITIVE_INFINITY;
    double maxC = 0;
    double minS = Double.POSITIVE_INFINITY;
    double maxS = Double.NEGATIVE_INFINITY;
    List<TradeoffPoint> all = new ArrayList<>();
    for (ConfigurationPoint c : report.fixedConfigurations()) {
      all.add(new TradeoffPoint(c.meanCost(), c.meanScore()));
    }
    for (RouterResult r : report.routers()) {
      all.addAll(r.tradeoffPoints());
    }
    for (TradeoffPoint p : all) {
      if (p.cost() > 0) {
        minC = Math.min(minC, p.cost());
      }
      maxC = Math.max(maxC, p.cost());
      minS = Math.min(minS, p.score());
      maxS = Math.max(maxS, p.score());
    }
    if (!(minC < Double.POSITIVE_INFINITY)) {
      minC = 1e-6;
    }
    if (maxC <= minC) {
      maxC = minC * 10;
    }
    double lx0 = Math.log10(minC) - 0.08 * (Math.log10(maxC) - Math.log10(minC));
    double lx1 = Math.log10(maxC) + 0.05 * (Math.log10(maxC) - Math.log10(minC));
    double pad = Math.max(0.01, 0.06 * (maxS - minS));
    double y0 = Math.max(0, minS - pad);
    double y1 = Math.min(1.02, maxS + pad);
    Axes ax = new Axes(lx0, lx1, y0, y1, minC);

    int pw = W - LEFT - RIGHT;
    int ph = H - TOP - BOTTOM;
    // Shade costs outside the common range.
    g.setColor(new Color(0xF2, 0xF2, 0xF2));
    double xl = ax.x(y.lo());
    double xh = ax.x(y.hi());
    if (xl > LEFT) {
      g.fill(new Rectangle2D.Double(LEFT, TOP, xl - LEFT, ph));
    }
    if (xh < LEFT + pw) {
      g.fill(new Rectangle2D.Double(xh, TOP, LEFT + pw - xh, ph));
    }
    gridAndTicks(g, ax, pw, ph);
    g.setClip(new Rectangle2D.Double(LEFT, TOP, pw, ph));

    // Fixed configurations and their hull.
    Color grey = new Color(0x70, 0x70, 0x70);
    drawHull(g, ax, y.fixed(), y.hi(), grey,
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {9f, 6f}, 0f));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    List<ConfigurationPoint> fixedPts = report.fixedConfigurations();
    for (int i = 0; i < fixedPts.size(); i++) {
      ConfigurationPoint c = fixedPts.get(i);
      double px = ax.x(c.meanCost());
      double py = ax.y(c.meanScore());
      Path2D d = new Path2D.Double();
      d.moveTo(px, py - 7);
      d.lineTo(px + 7, py);
      d.lineTo(px, py + 7);
      d.lineTo(px - 7, py);
      d.closePath();
      g.setColor(new Color(0xB0, 0xB0, 0xB0));
      g.fill(d);
      g.setColor(grey);
      g.setStroke(new BasicStroke(1f));
      g.draw(d);
      // Numbers, keyed in the legend: full labels would collide where configurations cluster.
      g.setColor(new Color(0x44, 0x44, 0x44));
      g.drawString(Integer.toString(i + 1), (float) px + 8, (float) py + 16);
    }

    // Routers: the oracle dotted black, the others coloured.
    List<RouterResult> routers = report.routers();
    List<Color> colours = new ArrayList<>();
    int next = 0;
    for (RouterResult r : routers) {
      if (r.kind().equals("reference")) {
        colours.add(Color.BLACK);
      } else if (isMain(r)) {
        colours.add(PALETTE[0]);
      } else {
        colours.add(PALETTE[1 + next++ % (PALETTE.length - 1)]);
      }
    }
    for (int i = routers.size() - 1; i >= 0; i--) {
      RouterResult r = routers.get(i);
      Color c = colours.get(i);
      boolean main = isMain(r);
      boolean ref = r.kind().equals("reference");
      Stroke hullStroke = ref
          ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
              new float[] {2f, 5f}, 0f)
          : new BasicStroke(main ? 3.5f : 2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
      drawHull(g, ax, Hull.of(r.tradeoffPoints()), y.hi(), c, hullStroke);
      // Sweep points in cost-weight order, joined thinly so the path through the grid shows.
      g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
      g.setStroke(new BasicStroke(1f));
      SweepPoint prev = null;
      for (SweepPoint p : r.points()) {
        if (prev != null) {
          g.draw(new Line2D.Double(ax.x(prev.meanCost()), ax.y(prev.meanScore()),
              ax.x(p.meanCost()), ax.y(p.meanScore())));
        }
        prev = p;
      }
      double rad = main ? 5 : 3.5;
      for (SweepPoint p : r.points()) {
        Shape m = new Ellipse2D.Double(ax.x(p.meanCost()) - rad, ax.y(p.meanScore()) - rad,
            2 * rad, 2 * rad);
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 200));
        g.fill(m);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(0.8f));
        g.draw(m);
      }
    }

    g.setClip(null);
    // Frame, labels, title.
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1.2f));
    g.draw(new Rectangle2D.Double(LEFT, TOP, pw, ph));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
    g.setColor(Color.BLACK);
    g.drawString(report.benchmark() + " (" + report.split() + " split): quality vs. cost, "
        + report.costWeights().length + " cost weights per router", LEFT, 40);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
    String xlabel = "mean cost per query (USD, log scale); shaded: outside the common cost range";
    FontMetrics fm = g.getFontMetrics();
    g.drawString(xlabel, LEFT + (pw - fm.stringWidth(xlabel)) / 2f, H - 30);
    Graphics2D gr = (Graphics2D) g.create();
    gr.rotate(-Math.PI / 2);
    String ylabel = "mean score";
    gr.drawString(ylabel, -(TOP + (ph + fm.stringWidth(ylabel)) / 2f), 30);
    gr.dispose();

    legend(g, report, routers, colours);
  }

  private static void legend(Graphics2D g, EvalReport report, List<RouterResult> routers,
      List<Color> colours) {
    int x = W - RIGHT + 25;
    int yy = TOP + 10;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString("router: AIQ (gap closed)", x, yy + 12);
    yy += 34;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < routers.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Double.compare(routers.get(b).metrics().aiq(),
        routers.get(a).metrics().aiq()));
    for (int i : order) {
      RouterResult r = routers.get(i);
      Color c = colours.get(i);
      g.setColor(c);
      boolean ref = r.kind().equals("reference");
      g.setStroke(ref
          ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
              new float[] {2f, 5f}, 0f)
          : new BasicStroke(isMain(r) ? 3.5f : 2f));
      g.draw(new Line2D.Double(x, yy - 5, x + 34, yy - 5));
      g.fill(new Ellipse2D.Double(x + 13, yy - 9, 8, 8));
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%s: %s (%s)", r.name(),
          ReportFormat.score(r.metrics().aiq()), ReportFormat.gap(r.metrics().gapClosed())), x + 44, yy);
      yy += 26;
    }
    Yardstick y = report.yardstick();
    g.setColor(new Color(0x70, 0x70, 0x70));
    g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
        new float[] {9f, 6f}, 0f));
    g.draw(new Line2D.Double(x, yy - 5, x + 34, yy - 5));
    g.setColor(Color.BLACK);
    g.drawString("fixed configs: " + ReportFormat.score(y.aiqFixed()) + " (+0.000)", x + 44, yy);
    yy += 30;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString("fixed configurations (diamonds):", x, yy);
    yy += 20;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    List<ConfigurationPoint> fixed = report.fixedConfigurations();
    for (int i = 0; i < fixed.size(); i++) {
      g.drawString((i + 1) + "  " + shortLabel(fixed.get(i).configuration().label()), x, yy);
      yy += 17;
    }
    yy += 16;
    g.setColor(new Color(0x44, 0x44, 0x44));
    for (String line : new String[] {
        "markers: the sweep's points (cost weight 0..1)",
        "lines: each router's upper hull (flat beyond",
        "its last point); AIQ = mean hull score over",
        "[" + ReportFormat.usd(y.lo()) + ", " + ReportFormat.usd(y.hi()) + "] USD.",
        "gap closed: 0 = fixed-config hull, 1 = oracle."}) {
      g.drawString(line, x, yy);
      yy += 18;
    }
  }

  /** The main HAPS bundle: red, thick, drawn on top. */
  private static boolean isMain(RouterResult r) {
    return r.kind().equals("haps") && r.name().equals("haps");
  }

  private static String shortLabel(String label) {
    return label.length() > 46 ? label.substring(0, 45) + "…" : label;
  }

  private static void drawHull(Graphics2D g, Axes ax, Hull h, double hi, Color c, Stroke s) {
    List<TradeoffPoint> v = h.vertices();
    Path2D path = new Path2D.Double();
    boolean started = false;
    for (int i = 0; i < v.size(); i++) {
      TradeoffPoint p = v.get(i);
      if (!started) {
        path.moveTo(ax.x(p.cost()), ax.y(p.score()));
        started = true;
      }
      if (i + 1 < v.size()) {
        // Straight in linear cost, so curved on a log axis: draw it in small steps.
        TradeoffPoint q = v.get(i + 1);
        for (int k = 1; k <= 40; k++) {
          double t = k / 40.0;
          double cost = p.cost() + t * (q.cost() - p.cost());
          path.lineTo(ax.x(cost), ax.y(p.score() + t * (q.score() - p.score())));
        }
      }
    }
    TradeoffPoint last = v.get(v.size() - 1);
    if (hi > last.cost()) {
      path.lineTo(ax.x(hi), ax.y(last.score()));
    }
    g.setColor(c);
    g.setStroke(s);
    g.draw(path);
  }

  private static void gridAndTicks(Graphics2D g, Axes ax, int pw, int ph) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    FontMetrics fm = g.getFontMetrics();
    // X: decades, with 2 and 5 when the span is short.
    double span = ax.lx1 - ax.lx0;
    int[] mult = span < 3.5 ? new int[] {1, 2, 5} : new int[] {1};
    for (int e = (int) Math.floor(ax.lx0) - 1; e <= (int) Math.ceil(ax.lx1); e++) {
      for (int m : mult) {
        double v = m * Math.pow(10, e);
        double lv = Math.log10(v);
        if (lv < ax.lx0 || lv > ax.lx1) {
          continue;
        }
        double px = ax.x(v);
        g.setColor(m == 1 ? new Color(0xD8, 0xD8, 0xD8) : new Color(0xEA, 0xEA, 0xEA));
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(px, TOP, px, TOP + ph));
        g.setColor(Color.DARK_GRAY);
        String label = costLabel(v);
        g.drawString(label, (float) (px - fm.stringWidth(label) / 2.0), TOP + ph + 22);
      }
    }
    // Y: a step of 1, 2 or 5 × 10^k giving 5 to 12 lines.
    double yspan = ax.y1 - ax.y0;
    double step = Math.pow(10, Math.floor(Math.log10(yspan)));
    while (yspan / step < 5) {
      step /= 2;
    }
    while (yspan / step > 12) {
      step *= 2;
    }
    for (double v = Math.ceil(ax.y0 / step) * step; v <= ax.y1 + 1e-12; v += step) {
      double py = ax.y(v);
      g.setColor(new Color(0xE0, 0xE0, 0xE0));
      g.draw(new Line2D.Double(LEFT, py, LEFT + pw, py));
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, step < 0.01 ? "%.3f" : "%.2f", v);
      g.drawString(label, LEFT - 10 - fm.stringWidth(label), (float) py + 5);
    }
  }

  static String costLabel(double v) {
    if (v >= 1) {
      return String.format(Locale.ROOT, "$%.0f", v);
    }
    String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
    return "$" + s;
  }

  /** Maps data to pixels. */
  private static final class Axes {
    final double lx0;
    final double lx1;
    final double y0;
    final double y1;
    final double floor;

    Axes(double lx0, double lx1, double y0, double y1, double floor) {
      this.lx0 = lx0;
      this.lx1 = lx1;
      this.y0 = y0;
      this.y1 = y1;
      this.floor = floor;
    }

    double x(double cost) {
      double lc = Math.log10(Math.max(cost, floor / 2));
      return LEFT + (lc - lx0) / (lx1 - lx0) * (W - LEFT - RIGHT);
    }

    double y(double score) {
      return TOP + (1 - (score - y0) / (y1 - y0)) * (H - TOP - BOTTOM);
    }
  }
}
