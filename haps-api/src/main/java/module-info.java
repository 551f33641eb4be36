/**
 * The HAPS routing API and the provider and encoder SPIs. JDK only.
 *
 * <p>{@link dev.haps.spi.ProviderRegistry} calls {@link java.util.ServiceLoader} for {@link
 * dev.haps.spi.LlmProviderFactory}, so the {@code uses} clause lives here; provider modules
 * declare {@code provides} (and keep {@code META-INF/services} for the class path).
 */
module dev.haps.api {
  exports dev.haps.api;
  exports dev.haps.api.error;
  exports dev.haps.api.params;
  exports dev.haps.spi;

  uses dev.haps.spi.LlmProviderFactory;
  uses dev.haps.spi.JudgeFactory;
}
