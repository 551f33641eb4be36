package dev.haps.client;

/**
 * A client-wide retry budget: a balance that starts at the reserve, earns {@code ratio} per call
 * and pays 1 per retry, never above the reserve (at least 1). So retries over the client's life
 * never exceed {@code reserve + ratio × calls}. Thread-safe.
 */
final class RetryBudget {

  private final double ratio;
  private final double cap;
  private double balance;
  private long retries;

  RetryBudget(int reserve, double ratio) {
    this.ratio = ratio;
    this.cap = Math.max(reserve, 1);
    this.balance = reserve;
  }

  synchronized void onCall() {
    balance = Math.min(cap, balance + ratio);
  }

  synchronized boolean tryRetry() {
    if (balance < 1.0) {
      return false;
    }
    balance -= 1.0;
    retries++;
    return true;
  }

  synchronized long retries() {
    return retries;
  }
}
