/**
 * Tunable parameters: the closed {@link dev.haps.api.params.ParameterSpec} family, a model's
 * {@link dev.haps.api.params.ParameterSpace}, and concrete
 * {@link dev.haps.api.params.ParameterValues}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.api.params;
