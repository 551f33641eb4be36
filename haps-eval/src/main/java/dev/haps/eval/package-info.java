/**
 * Evaluation: sweeps HAPS bundles and the baselines over the same cost weights on a benchmark's
 * outcome log and measures them with AIQ and gap closed. Start at {@link
 * dev.haps.eval.Evaluation}; {@link dev.haps.eval.Recompute} checks a written report
 * against its decisions and the log. Nothing in this package is null; undefined numbers are
 * {@code NaN}.
 *
 * @since 0.1.0
 */
package dev.haps.eval;
