package dev.haps.api;

/**
 * Identifies the router bundle (trained HAPS weights) that made a decision.
 *
 * @param id the bundle's id, e.g. {@code haps-concise-cot}
 * @param version the bundle's version string
 * @since 0.1.0
 */
public record BundleInfo(String id, String version) {

  /**
   * Checks for blanks.
   *
   * @param id the bundle's id, e.g. {@code haps-concise-cot}
   * @param version the bundle's version string
   * @throws IllegalArgumentException if either field is blank
   */
  public BundleInfo {
    if (id == null || id.isBlank() || version == null || version.isBlank()) {
      throw new IllegalArgumentException("bundle id and version must not be blank");
    }
  }

  @Override
  public String toString() {
    return id + "@" + version;
  }
}
