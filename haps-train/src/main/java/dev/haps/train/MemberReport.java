package dev.haps.train;

/**
 * What one ensemble member's training did.
 *
 * @param member the member index
 * @param warmupMetric the warm-up's best selection score (minus the valid loss for value heads
 *     selected by loss, else the validation metric)
 * @param warmupSteps warm-up steps run
 * @param rlMetric best validation metric during policy gradient (NaN when none ran)
 * @param rlSteps policy-gradient steps run
 * @param rlKept whether a policy-gradient checkpoint beat the warm-up checkpoint on the
 *     validation metric (and replaced it)
 * @since 0.1.0
 */
public record MemberReport(int member, double warmupMetric, int warmupSteps, double rlMetric,
    int rlSteps, boolean rlKept) {}
