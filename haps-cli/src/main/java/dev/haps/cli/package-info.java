/**
 * The {@code haps} command line ({@link dev.haps.cli.Haps}): {@code demo}, {@code route},
 * {@code ask}, {@code train} and {@code eval}, built on picocli and packaged as one executable jar.
 * Everything but the entry point is package-private: the commands' contract is their help text and
 * {@code docs/cli.md}, not a Java API.
 *
 * @since 0.1.0
 */
package dev.haps.cli;
