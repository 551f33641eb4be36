/**
 * Collecting outcome data for a deployment's own models: {@link dev.haps.collect.Collector} runs
 * every candidate configuration on a query file through the provider plugins and the built-in or
 * installed judges, and writes an outcome log. The built-in judges are registered as services.
 */
module dev.haps.collect {
  requires transitive dev.haps.api;
  requires transitive dev.haps.data;
  requires transitive dev.haps.client;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.haps.collect;
  exports dev.haps.collect.judge;

  provides dev.haps.spi.JudgeFactory with
      dev.haps.collect.judge.ExactMatchJudgeFactory,
      dev.haps.collect.judge.NormalizedMatchJudgeFactory,
      dev.haps.collect.judge.ChoiceJudgeFactory,
      dev.haps.collect.judge.NumericJudgeFactory,
      dev.haps.collect.judge.TokenF1JudgeFactory,
      dev.haps.collect.judge.RegexJudgeFactory,
      dev.haps.collect.judge.LlmJudgeFactory;
}
