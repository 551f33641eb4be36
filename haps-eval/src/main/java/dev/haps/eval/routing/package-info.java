/**
 * What the evaluation sweeps and scores: the {@link dev.haps.eval.routing.EvalRouter} contract
 * (HAPS bundles, baselines and the oracle all implement it), the {@link
 * dev.haps.eval.routing.Decision} a router makes, and the {@link
 * dev.haps.eval.routing.OutcomeTable} of recorded outcomes every decision is snapped to and scored
 * with, together with the fixed-configuration choices ("best single", "cheapest") that the
 * baselines and the CLI demo share. Nothing in this package is null.
 *
 * @since 0.1.0
 */
package dev.haps.eval.routing;
