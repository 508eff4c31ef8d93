package org.plenum.stage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A moderator token of one event: who may moderate that event's stages without the organiser
 * token. The token itself is never stored, only its SHA-256 hash.
 *
 * @param tokenHash the lower-case hex SHA-256 of the token
 */
public record ModeratorAccess(String id, String eventId, String label, String tokenHash, Instant createdAt) {
  public static final int MAX_LABEL = 100;
  /** Every moderator token starts with this, so it is told apart from the organiser token. */
  public static final String TOKEN_PREFIX = "pm_";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new token: {@code pm_} and 43 base64url characters (256 random bits). */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static boolean looksLikeToken(String s) {
    return s != null && s.startsWith(TOKEN_PREFIX) && s.length() <= 100;
  }

  /** The stored form of a token: lower-case hex SHA-256 of its UTF-8 bytes. */
  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Whether {@code token} is this access's token, compared in constant time. */
  public boolean matches(String token) {
    return token != null && MessageDigest.isEqual(tokenHash.getBytes(StandardCharsets.US_ASCII),
        hash(token).getBytes(StandardCharsets.US_ASCII));
  }
}
