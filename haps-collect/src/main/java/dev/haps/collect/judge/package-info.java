/**
 * The built-in judges of {@code haps collect}, registered through
 * {@code META-INF/services/dev.haps.spi.JudgeFactory}: {@code exact}, {@code normalized},
 * {@code choice}, {@code numeric}, {@code f1}, {@code regex} and {@code llm}. Each factory's
 * documentation lists its settings.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package dev.haps.collect.judge;
