package dev.haps.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code haps} command line in-process with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Haps.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The stderr lines, without trailing blank ones. */
  String[] errLines() {
    String e = err.strip();
    return e.isEmpty() ? new String[0] : e.split("\\R");
  }
}
