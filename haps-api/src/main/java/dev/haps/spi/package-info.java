/**
 * The provider plugin SPI: implement {@link dev.haps.spi.LlmProviderFactory} and
 * {@link dev.haps.spi.LlmProvider}, register the factory in
 * {@code META-INF/services/dev.haps.spi.LlmProviderFactory}, and
 * {@link dev.haps.spi.ProviderRegistry} finds it. Judges that grade collected answers plug in
 * the same way: implement {@link dev.haps.spi.JudgeFactory} and {@link dev.haps.spi.Judge} and
 * register the factory in {@code META-INF/services/dev.haps.spi.JudgeFactory};
 * {@link dev.haps.spi.JudgeRegistry} finds it.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.spi;
