package org.plenum.stage;

import java.util.Arrays;
import java.util.List;

/** A validated vote: the sorted, distinct choice keys it counts under. */
public record Ballot(List<String> keys) {

  /** Compact form used by engines to remember a participant's current vote. */
  public String encode() {
    return String.join(",", keys);
  }

  public static Ballot decode(String encoded) {
    return new Ballot(encoded == null || encoded.isEmpty() ? List.of() : Arrays.asList(encoded.split(",")));
  }
}
