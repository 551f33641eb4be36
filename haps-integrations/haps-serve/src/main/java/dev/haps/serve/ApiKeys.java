package dev.haps.serve;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The accepted API keys, held as SHA-256 hashes. A presented key is hashed and compared with
 * every entry in constant time (no early exit), so neither the comparison nor the number of
 * entries tried tells an attacker how close a guess was.
 */
final class ApiKeys {

  private final List<ServeConfig.KeyEntry> entries;

  ApiKeys(List<ServeConfig.KeyEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * The entry a bearer token matches.
   *
   * @param authorization the {@code Authorization} header value, possibly null
   * @return the matching entry
   */
  Optional<ServeConfig.KeyEntry> match(String authorization) {
    if (authorization == null || authorization.length() < 8
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    byte[] presented = ServeConfig.sha256(authorization.substring(7).trim());
    ServeConfig.KeyEntry found = null;
    for (ServeConfig.KeyEntry e : entries) {
      if (MessageDigest.isEqual(presented, e.sha256()) && found == null) {
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }
}
