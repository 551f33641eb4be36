/**
 * The HAPS network and its training loop, in plain Java: a shared trunk, a high-level head over
 * candidate models and one parameter generator per candidate; hand-written forward and backward
 * passes, Adam, seeded randomness. {@link dev.haps.train.model.TrainedModel} is the reference
 * semantics of an exported bundle.
 *
 * <p>Most types here are public so that the trainer, the exporter and tests in sibling packages
 * can use them; applications use {@link dev.haps.train.Trainer} instead.
 *
 * @since 0.1.0
 */
package dev.haps.train.model;
