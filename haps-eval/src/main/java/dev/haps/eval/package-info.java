/**
 * Evaluation: sweeps HAPS bundles and the baselines over the same cost weights on a benchmark's
 * outcome log and measures them with AIQ and gap closed. Start at {@link
 * dev.haps.eval.Evaluation}, which returns an {@link dev.haps.eval.EvalReport} and writes {@code
 * report.json}, {@code decisions.jsonl}, {@code cost-quality.png} and {@code report.html}; {@link
 * dev.haps.eval.Recompute} checks a written report against its decisions and the log.
 *
 * <p>Packages depend downwards only: this one on {@code baselines} and {@code routing}, {@code
 * baselines} on {@code routing}. Nothing in this package is null; undefined numbers are {@code
 * NaN}.
 *
 * @since 0.1.0
 */
package dev.haps.eval;
