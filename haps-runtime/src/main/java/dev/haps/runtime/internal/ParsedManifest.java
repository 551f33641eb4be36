package dev.haps.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.runtime.decode.CandidateHead;
import dev.haps.spi.EncoderInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A manifest that passed every field check. Internal API.
 *
 * @param formatVersion the format version (1)
 * @param id the bundle id
 * @param version the bundle version
 * @param createdAt when the bundle was made
 * @param encoder the encoder the bundle was trained with
 * @param encoderTop the encoder's fine-tuned top layers ({@code encoder.top}), when it has them
 * @param io the ONNX names
 * @param heads the candidates with their parameter layouts, in bundle order
 * @param costScale the training cost unit in USD
 * @param routerSha256 the declared SHA-256 of router.onnx, or {@code ""} when not declared
 * @param training free-form training record (a JSON object)
 * @param validation free-form validation record (a JSON object)
 */
public record ParsedManifest(
    int formatVersion,
    String id,
    String version,
    Instant createdAt,
    EncoderInfo encoder,
    Optional<EncoderTopSpec> encoderTop,
    BundleIo io,
    List<CandidateHead> heads,
    double costScale,
    String routerSha256,
    JsonNode training,
    JsonNode validation) {}
