/**
 * The JMH suite of HAPS for Java: {@link dev.haps.bench.RouterBench} measures the router against
 * the bare encoder (its floor) and LangChain4j's in-process embedding (its peer); {@link
 * dev.haps.bench.MemoryProbe} measures resident memory; {@link dev.haps.bench.Report} prints the
 * table and the targets. {@code haps-bench/run.sh} runs all three.
 *
 * @since 0.1.0
 */
package dev.haps.bench;
