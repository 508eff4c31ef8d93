package org.plenum.stage;

import java.security.SecureRandom;

/** Random identifiers: ids of events, stages and polls, join codes and participant ids. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
  /** Join codes avoid characters people confuse on a projector: 0/O, 1/I/L. */
  public static final String CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

  private Ids() {}

  /** A 12-character id such as {@code st4k9q2m7xw1}: a two-letter kind prefix and ten random characters. */
  public static String newId(String prefix) {
    return prefix + random(ID_ALPHABET, 10);
  }

  public static String newJoinCode() {
    return random(CODE_ALPHABET.toCharArray(), 6);
  }

  /** A participant id: 16 random characters, no personal data. */
  public static String newParticipantId() {
    return random(ID_ALPHABET, 16);
  }

  public static boolean isSafeId(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static String random(char[] alphabet, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
    }
    return new String(out);
  }
}
