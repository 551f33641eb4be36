package dev.haps.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** The learning curve as a PNG: test gap closed, and served against best-fixed reward. */
final class LearningCurvePlot {

  private static final int W = 900;
  private static final int H = 640;

  private LearningCurvePlot() {}

  static byte[] png(SimulationReport r) {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    g.drawString(String.format(Locale.ROOT, "%s, seed %d: learning loop over %d calls (N = %d)",
        r.benchmark(), r.seed(), r.calls(), r.poolSize()), 20, 20);
    List<SimulationReport.Point> pts = r.points();
    panel(g, pts, 40, "test gap closed of the serving router",
        new Series[] {new Series(SimulationReport.Point::testGapClosed, new Color(0x1f77b4))},
        r.poolSize());
    panel(g, pts, 340, "mean reward per block: served (orange) vs best fixed (grey)",
        new Series[] {new Series(SimulationReport.Point::servedReward, new Color(0xff7f0e)),
            new Series(SimulationReport.Point::bestFixedReward, Color.GRAY)}, r.poolSize());
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private record Series(ToDoubleFunction<SimulationReport.Point> y, Color color) {}

  private static void panel(Graphics2D g, List<SimulationReport.Point> pts, int top,
      String title, Series[] series, int n) {
    int left = 70;
    int right = W - 30;
    int height = 240;
    int bottom = top + height;
    g.setColor(Color.BLACK);
    g.drawString(title, left, top + 12);
    double xmax = 1;
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = Double.NEGATIVE_INFINITY;
    for (SimulationReport.Point p : pts) {
      xmax = Math.max(xmax, p.calls());
      for (Series s : series) {
        double v = s.y().applyAsDouble(p);
        if (Double.isFinite(v)) {
          ymin = Math.min(ymin, v);
          ymax = Math.max(ymax, v);
        }
      }
    }
    if (!(ymax > ymin)) {
      ymin = Double.isFinite(ymin) ? ymin - 0.5 : 0;
      ymax = ymin + 1;
    }
    double pad = (ymax - ymin) * 0.08;
    ymin -= pad;
    ymax += pad;
    int plotTop = top + 20;
    g.setColor(new Color(0xdddddd));
    g.drawRect(left, plotTop, right - left, bottom - plotTop);
    g.setColor(Color.BLACK);
    for (int i = 0; i <= 4; i++) {
      double v = ymin + (ymax - ymin) * i / 4;
      int y = (int) (bottom - (bottom - plotTop) * (v - ymin) / (ymax - ymin));
      g.drawString(String.format(Locale.ROOT, "%.3f", v), 10, y + 4);
    }
    for (int k = 1; k * n <= xmax; k++) {
      int x = (int) (left + (right - left) * (k * (double) n) / xmax);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(x, plotTop, x, bottom);
      g.setColor(Color.BLACK);
      g.drawString(k + "N", x - 8, bottom + 14);
    }
    g.drawString(String.format(Locale.ROOT, "%.0f calls", xmax), right - 60, bottom + 28);
    g.setStroke(new BasicStroke(2f));
    for (Series s : series) {
      g.setColor(s.color());
      int px = -1;
      int py = -1;
      for (SimulationReport.Point p : pts) {
        double v = s.y().applyAsDouble(p);
        if (!Double.isFinite(v)) {
          px = -1;
          continue;
        }
        int x = (int) (left + (right - left) * p.calls() / xmax);
        int y = (int) (bottom - (bottom - plotTop) * (v - ymin) / (ymax - ymin));
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        g.fillOval(x - 2, y - 2, 5, 5);
        px = x;
        py = y;
      }
    }
    g.setStroke(new BasicStroke(1f));
  }
}
