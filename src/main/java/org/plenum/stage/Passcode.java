package org.plenum.stage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * The optional passcode of a closed event (issue 12: the reference congress was for
 * public-administration staff only): what an organiser may set, and how a viewer's attempt is
 * compared. Pure rules, no I/O; the gate that applies them (with the per-address limit on wrong
 * attempts) is {@code gateway.PasscodeAttempts}, used by the WebSocket join and the audience's
 * REST reads alike.
 *
 * <p>A passcode is a shared access code printed in an invitation, not a personal secret: the
 * organiser can read it back to pass it on, so it is stored as given. Attempts are compared in
 * constant time over SHA-256 digests (equal length whatever was typed), so neither content nor
 * length leaks through timing. Surrounding spaces are ignored on both sides (phones add them);
 * letters are compared as typed.
 */
public final class Passcode {
  public static final int MIN_CHARS = 4;
  public static final int MAX_CHARS = 64;

  private Passcode() {}

  /**
   * The passcode an organiser sets, cleaned (control characters removed, stripped), or
   * {@code invalid_field} naming the rule. Null or blank means "no passcode" and returns null.
   */
  public static String check(String raw) {
    if (raw == null) {
      return null;
    }
    TextShape.check(raw, "passcode", 4 * MAX_CHARS);
    String cleaned = TextRules.clean(raw, "passcode").strip();
    if (cleaned.isEmpty()) {
      return null;
    }
    int length = cleaned.codePointCount(0, cleaned.length());
    if (length < MIN_CHARS || length > MAX_CHARS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "passcode: " + MIN_CHARS + "-" + MAX_CHARS
          + " characters (or null to remove it)");
    }
    return cleaned;
  }

  /**
   * Whether {@code attempt} opens an event whose passcode is {@code expected}; constant time in
   * both. An attempt longer than any passcode could be is compared as an empty one (it never
   * matches, and its cost stays bounded).
   */
  public static boolean matches(String expected, String attempt) {
    if (expected == null) {
      return true;
    }
    String given = attempt == null || attempt.length() > 8 * MAX_CHARS ? "" : attempt.strip();
    boolean equal = MessageDigest.isEqual(digest(expected), digest(given));
    return equal && !given.isEmpty();
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
