/**
 * The provider plugin SPI: implement {@link dev.haps.spi.LlmProviderFactory} and
 * {@link dev.haps.spi.LlmProvider}, register the factory in
 * {@code META-INF/services/dev.haps.spi.LlmProviderFactory}, and
 * {@link dev.haps.spi.ProviderRegistry} finds it.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.spi;
