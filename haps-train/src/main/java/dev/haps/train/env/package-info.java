/**
 * The offline environment: an outcome log replayed as (query, model, parameters) → recorded
 * (score, cost), with continuous parameters snapped to observed values, and the reward of an
 * outcome at a cost weight.
 *
 * @since 0.1.0
 */
package dev.haps.train.env;
