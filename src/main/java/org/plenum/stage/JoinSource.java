package org.plenum.stage;

import java.util.Locale;

/**
 * Where a viewer joined a stage from: the {@code hall} link (the projector's QR code), the
 * {@code stream} link (shown on the stream page), or neither ({@code other}: the code typed in, an old
 * link, a client that does not say). Given by the client in {@code join}; the presence samples split
 * viewers by it. It is what the link said, not a verified fact: a viewer may share a hall link.
 */
public enum JoinSource {
  HALL, STREAM, OTHER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The join message's {@code source}: hall, stream or absent (null, which is {@link #OTHER}). Null if unknown. */
  public static JoinSource parse(String s) {
    if (s == null) {
      return OTHER;
    }
    return switch (s) {
      case "hall" -> HALL;
      case "stream" -> STREAM;
      default -> null;
    };
  }
}
