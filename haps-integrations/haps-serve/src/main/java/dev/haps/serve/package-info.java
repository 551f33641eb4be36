/**
 * {@code haps serve}: an OpenAI-compatible HTTP endpoint in front of a {@link
 * dev.haps.client.RoutingClient}. Start it with {@link dev.haps.serve.HapsServer}.
 */
package dev.haps.serve;
