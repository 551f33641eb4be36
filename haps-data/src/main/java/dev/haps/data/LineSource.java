package dev.haps.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code '\n'} without decoding them, reporting for each line
 * its 1-based number and whether a newline ended it (a last line without one may be torn).
 * Not thread-safe.
 */
final class LineSource implements Closeable {

  private final InputStream in;
  private byte[] buf = new byte[1 << 16];
  private int start;
  private int end;
  private int scanned; // bytes from start already known to hold no newline
  private boolean eof;
  private long number;

  // The current line, valid until the next call to next().
  byte[] lineBuf;
  int lineOff;
  int lineLen;
  boolean terminated;

  LineSource(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line; returns false at the end of the stream. */
  boolean next() throws IOException {
    while (true) {
      for (int i = start + scanned; i < end; i++) {
        if (buf[i] == '\n') {
          set(start, i - start, true);
          start = i + 1;
          scanned = 0;
          return true;
        }
      }
      scanned = end - start;
      if (eof) {
        if (start < end) {
          set(start, end - start, false);
          start = end;
          scanned = 0;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void set(int off, int len, boolean term) {
    number++;
    lineBuf = buf;
    lineOff = off;
    lineLen = len;
    terminated = term;
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  /** The 1-based number of the current line. */
  long number() {
    return number;
  }

  /** Whether the current line holds only whitespace. */
  boolean blank() {
    for (int i = lineOff; i < lineOff + lineLen; i++) {
      byte b = lineBuf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
