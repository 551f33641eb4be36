/**
 * What a HAPS router learns, in plain Java: the network ({@link
 * dev.haps.train.model.HapsNetwork}: a shared trunk, a high-level head over candidate models and
 * one parameter generator per candidate, hand-written forward and backward passes), the training
 * objectives ({@link dev.haps.train.model.TrainingObjective}: value and policy heads, their losses
 * and gradients), the problem they learn from ({@link dev.haps.train.model.TrainingProblem}), and
 * the trained ensemble ({@link dev.haps.train.model.TrainedModel}, the reference semantics of an
 * exported bundle).
 *
 * <p>Most types here are public so that the training loop, the exporter and tests in sibling
 * packages can use them; applications use {@link dev.haps.train.Trainer} instead.
 *
 * @since 0.1.0
 */
package dev.haps.train.model;
