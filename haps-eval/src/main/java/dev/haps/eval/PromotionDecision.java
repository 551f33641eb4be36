package dev.haps.eval;

import java.time.Instant;

/**
 * One decision whether a candidate bundle replaces the serving one, with the figures it was
 * made on. The rule: promote only when the lower end of the candidate's 95 % doubly robust
 * interval of mean reward on the logged traffic is above the serving policy's observed mean
 * reward on that traffic.
 *
 * @param at when it was decided
 * @param candidate the candidate bundle's router SHA-256
 * @param serving the serving policy's id before the decision ({@code uniform} before any
 *     bundle serves)
 * @param promoted whether the candidate now serves
 * @param candidateLow the lower end of the candidate's DR reward interval
 * @param candidateValue the candidate's DR reward estimate
 * @param servingObserved the serving policy's observed mean reward on its own logged calls
 * @param servingCalls how many logged calls that observation averages
 * @param rows bandit rows the estimate used
 * @param effectiveSampleSize the estimate's effective sample size
 * @param reason one sentence saying why
 * @since 0.1.0
 */
public record PromotionDecision(Instant at, String candidate, String serving, boolean promoted,
    double candidateLow, double candidateValue, double servingObserved, int servingCalls,
    int rows, double effectiveSampleSize, String reason) {}
