package dev.haps.eval;

import java.time.Instant;

/**
 * One decision whether a candidate bundle replaces the serving one, with the figures it was
 * made on. The rule: promote only when the candidate's off-policy lower bound is above the
 * serving policy's observed mean reward, both on the calls the serving policy logged; the lower
 * bound is the observed value plus the 2.5 % percentile of the paired bootstrap of the doubly
 * robust gain ({@link OffPolicyReport#gain()}).
 *
 * @param at when it was decided
 * @param candidate the candidate bundle's router SHA-256
 * @param serving the serving policy's id before the decision ({@code uniform} before any
 *     bundle serves)
 * @param promoted whether the candidate now serves
 * @param candidateLow the candidate's lower bound: observed value + lower end of the paired DR
 *     gain
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
