/**
 * The evaluation's outputs: {@code report.json}, {@code report.html}, {@code cost-quality.png}
 * and the console table.
 *
 * @since 0.1.0
 */
package dev.haps.eval.report;
