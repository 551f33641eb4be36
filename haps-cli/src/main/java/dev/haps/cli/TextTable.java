package dev.haps.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row, columns padded to their widest cell. */
final class TextTable {

  private final List<String> header;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  /** Columns whose header starts with '&gt;' are right-aligned (the marker is not shown). */
  TextTable(String... header) {
    this.header = new ArrayList<>();
    this.rightAligned = new boolean[header.length];
    for (int i = 0; i < header.length; i++) {
      rightAligned[i] = header[i].startsWith(">");
      this.header.add(rightAligned[i] ? header[i].substring(1) : header[i]);
    }
  }

  TextTable row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, the table " + header.size() + " columns");
    }
    rows.add(List.of(cells));
    return this;
  }

  /** A separator line between groups of rows. */
  TextTable rule() {
    rows.add(List.of());
    return this;
  }

  @Override
  public String toString() {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
    }
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    int total = 0;
    for (int w : width) {
      total += w;
    }
    total += 2 * (width.length - 1);
    StringBuilder sb = new StringBuilder();
    append(sb, header, width);
    sb.append("-".repeat(total)).append(System.lineSeparator());
    for (List<String> r : rows) {
      if (r.isEmpty()) {
        sb.append("-".repeat(total)).append(System.lineSeparator());
      } else {
        append(sb, r, width);
      }
    }
    return sb.toString();
  }

  private void append(StringBuilder sb, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      String pad = " ".repeat(width[i] - c.length());
      line.append(rightAligned[i] ? pad + c : c + pad);
      if (i < cells.size() - 1) {
        line.append("  ");
      }
    }
    sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
  }
}
