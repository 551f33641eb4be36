/**
 * The outcome-log format: a benchmark's candidate models and their parameter spaces
 * ({@code candidates.json}) and one JSON line per query with the recorded outcome of every
 * (model, parameters) configuration that answered it ({@code outcomes.jsonl}). The same format is
 * the training and evaluation data and the sink for production feedback.
 *
 * <p>Entry points: {@link dev.haps.data.OutcomeLog#load(java.nio.file.Path)} reads and validates
 * a whole log; {@link dev.haps.data.OutcomeLogReader} streams a (possibly growing) log and
 * survives a torn last line; {@link dev.haps.data.OutcomeLogWriter} appends crash-safely.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.data;
