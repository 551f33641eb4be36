/**
 * The HAPS routing API: {@link dev.haps.api.Router}, {@link dev.haps.api.RouteRequest} and
 * {@link dev.haps.api.RouteDecision}. This module has no dependencies beyond the JDK.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.api;
