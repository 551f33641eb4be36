package dev.haps.collect;

/**
 * How far a collection run has come, reported after each finished pair.
 *
 * @param done the pairs this run finished (graded, ungraded or failed)
 * @param total the pairs this run set out to do (pairs already done are not counted)
 * @param failed of the finished pairs, those whose call or judge failed
 * @param ungraded of the finished pairs, those the judge could not grade
 * @param spentUsd the money spent so far, earlier runs into the same folder included
 * @param budgetUsd the budget, or NaN when there is none
 * @since 0.1.0
 */
public record CollectProgress(int done, int total, int failed, int ungraded, double spentUsd,
    double budgetUsd) {}
