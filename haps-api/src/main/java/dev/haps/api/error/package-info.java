/**
 * The HAPS exception family: one unchecked root, {@link dev.haps.api.error.HapsException}, split
 * by what the caller can do about a failure.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.api.error;
