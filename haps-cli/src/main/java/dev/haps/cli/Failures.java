package dev.haps.cli;

import dev.haps.api.error.HapsException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into the CLI's one-line messages and exit codes: a failure is one line on
 * stderr, {@code haps <command>: <what failed, the value, what to do>}; the stack trace follows
 * only with {@code --verbose}.
 */
final class Failures {

  /** Exit code of a command that ran and failed. */
  static final int FAILED = 1;

  /** Exit code of bad usage: unknown option, missing or invalid argument. */
  static final int USAGE = 2;

  private Failures() {}

  /** Picocli's hook for failures thrown by a command's business logic. */
  static int onExecutionFailure(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + describe(ex));
    if (isVerbose(parsed)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return FAILED;
  }

  /** Picocli's hook for bad usage: one line naming the problem, and where the help is. */
  static int onBadUsage(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    StringBuilder line = new StringBuilder(name).append(": ").append(oneLine(ex.getMessage()));
    if (ex instanceof UnmatchedArgumentException) {
      List<String> suggestions = ((UnmatchedArgumentException) ex).getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
      }
    }
    line.append(" (see '").append(name).append(" --help')");
    err.println(line);
    err.flush();
    return USAGE;
  }

  /**
   * The one-line description of a failure. Our own exceptions carry complete messages; for
   * anything else the exception type is kept, because the message alone (a bare path, say) may
   * not say what went wrong.
   */
  static String describe(Throwable ex) {
    Throwable t = ex;
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof HapsException || t instanceof ParameterException) {
      return oneLine(t.getMessage());
    }
    if (t instanceof NoSuchFileException) {
      return "file not found: " + ((NoSuchFileException) t).getFile()
          + "; check the path and try again";
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied: " + ((AccessDeniedException) t).getFile()
          + "; check the file's permissions";
    }
    if (t instanceof FileSystemException) {
      return oneLine(t.getMessage());
    }
    String message = t.getMessage();
    String type = t.getClass().getSimpleName();
    return (message == null || message.isBlank() ? type : type + ": " + oneLine(message))
        + " (rerun with --verbose for the stack trace)";
  }

  /** Collapses a multi-line message onto one line. */
  static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    // A line ending in ':' introduces what follows; other line breaks separate items.
    return message.strip().replaceAll(":\\s*\\R\\s*", ": ").replaceAll("\\s*\\R\\s*", "; ");
  }

  /** Whether {@code --verbose} was given anywhere on the command line. */
  static boolean isVerbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
