/**
 * Cost/quality metrics: the non-decreasing upper convex hull of a router's operating points, AIQ
 * (average improvement in quality) over a common cost range, gap closed between the best fixed
 * configurations and the per-query oracle, and the comparisons against the best single
 * configuration.
 *
 * <p>Everything here is pure arithmetic on {@link dev.haps.data.tradeoff.TradeoffPoint}s:
 * no data loading, no routers. Nothing is null; an undefined number is {@code NaN}, as each
 * method documents.
 *
 * @since 0.1.0
 */
package dev.haps.data.tradeoff;
