/**
 * Spring Boot auto-configuration for HAPS: a {@code @Primary} routed
 * {@link dev.haps.springai.HapsChatModel} over the application's {@code ChatModel} beans,
 * configured by {@link dev.haps.springai.autoconfigure.HapsProperties} ({@code haps.*}).
 */
package dev.haps.springai.autoconfigure;
