package dev.haps.cli;

import dev.haps.api.error.HapsException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
    boolean verbose = isVerbose(parsed);
    err.println(cl.getCommandSpec().qualifiedName() + ": " + describe(ex, verbose));
    if (verbose) {
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
   * The one-line description of a failure, as printed without {@code --verbose}.
   *
   * @see #describe(Throwable, boolean)
   */
  static String describe(Throwable ex) {
    return describe(ex, false);
  }

  /**
   * The one-line description of a failure. Our own exceptions, and argument checks
   * ({@link IllegalArgumentException}, which state the rule and the value), carry complete
   * messages; for anything else the exception type is kept, because the message alone (a bare
   * path, say) may not say what went wrong, with a pointer to {@code --verbose} unless it was
   * given.
   */
  static String describe(Throwable ex, boolean verbose) {
    Throwable t = ex;
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (t instanceof HapsException || t instanceof ParameterException
        || (t instanceof IllegalArgumentException && message != null && !message.isBlank())) {
      return oneLine(message);
    }
    if (t instanceof NoSuchFileException) {
      return "file not found: " + ((NoSuchFileException) t).getFile()
          + "; check the path and try again";
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied: " + ((AccessDeniedException) t).getFile()
          + "; check the file's permissions";
    }
    if (t instanceof FileAlreadyExistsException) {
      return "already exists and is not what was expected there: "
          + ((FileSystemException) t).getFile() + "; give a new path or a folder";
    }
    if (t instanceof NotDirectoryException) {
      return "not a folder: " + ((FileSystemException) t).getFile()
          + "; give a folder (or a path that does not exist yet)";
    }
    if (t instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) t;
      String reason = f.getReason();
      return "cannot use " + f.getFile() + (f.getOtherFile() == null ? "" : " or "
          + f.getOtherFile()) + ": " + (reason == null ? t.getClass().getSimpleName() : reason);
    }
    String type = t.getClass().getSimpleName();
    return (message == null || message.isBlank() ? type : type + ": " + oneLine(message))
        + (verbose ? "" : " (rerun with --verbose for the stack trace)");
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
