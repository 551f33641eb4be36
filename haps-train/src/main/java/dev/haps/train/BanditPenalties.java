package dev.haps.train;

/**
 * The ridge penalties of the linear values a run fitted on bandit feedback (one logged outcome
 * per call, {@link BanditTargets#DIRECT}): what the manifest records under {@code
 * training.banditLinear}, so that a bundle trained on a feedback log says how it was fitted.
 *
 * @param scoreAlpha the penalty on each configuration's own score-logit slope ({@link
 *     TrainOptions#linearAlpha()} when set)
 * @param sharedAlpha the penalty on the score-logit slope all configurations share
 * @param costAlpha the penalty on each configuration's log-cost slope
 * @param leastRows the outcomes logged for the least logged configuration
 * @since 0.1.0
 */
public record BanditPenalties(double scoreAlpha, double sharedAlpha, double costAlpha,
    int leastRows) {}
