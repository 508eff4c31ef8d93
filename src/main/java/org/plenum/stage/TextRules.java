package org.plenum.stage;

import java.text.Normalizer;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * Cleans text people type: Unicode NFC; invisible and direction-override characters removed
 * (they hide or disguise text), the zero-width joiner too unless it joins two emoji; control
 * characters and every kind of space become one plain space; trimmed. Right-to-left text itself
 * is untouched.
 */
public final class TextRules {
  /** Longer input is refused before any work is done on it. */
  public static final int MAX_RAW = 4000;

  private TextRules() {}

  public static String clean(String raw, String field) {
    if (raw == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, field + ": required");
    }
    if (raw.length() > MAX_RAW) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": far too long");
    }
    TextShape.check(raw, field, MAX_RAW); // before NFC, whose cost a long run of marks makes quadratic
    String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    boolean pendingSpace = false;
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      i += Character.charCount(cp);
      if (isInvisible(cp) || cp == ZWJ && (pendingSpace || !joinsEmoji(out, nfc, i))) {
        continue;
      }
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.getType(cp) == Character.CONTROL) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  /**
   * Zero-width space, word joiner, byte-order mark, soft hyphen, and the bidirectional marks,
   * embeddings, overrides and isolates. The zero-width joiner (U+200D) is decided by its
   * neighbours ({@link #joinsEmoji}).
   */
  private static final int ZWJ = 0x200D;

  /**
   * Whether the zero-width joiner at {@code nfc[next - 1]} joins two emoji, as in 👩‍💻 (an emoji,
   * optionally with U+FE0F or a skin tone, then the joiner, then an emoji): those sequences need
   * it. Between letters it only makes "Daten", U+200D, "schutz" a different word from
   * {@code Datenschutz} that looks the same, so there it is removed.
   */
  private static boolean joinsEmoji(CharSequence keptSoFar, String nfc, int next) {
    if (keptSoFar.length() == 0 || next >= nfc.length() || !isEmoji(Character.codePointAt(nfc, next))) {
      return false;
    }
    int end = keptSoFar.length();
    int before = Character.codePointBefore(keptSoFar, end);
    if (before == 0xFE0F && end > 1) {
      before = Character.codePointBefore(keptSoFar, end - 1);
    }
    return isEmoji(before);
  }

  /**
   * The pictographic code points emoji sequences are built from (Unicode's Extended_Pictographic,
   * taken by whole blocks: Java 17 has no {@code Character.isEmoji}); skin tones are among them.
   */
  static boolean isEmoji(int cp) {
    return cp == 0x00A9 || cp == 0x00AE || cp == 0x203C || cp == 0x2049 || cp == 0x2122 || cp == 0x2139
        || (cp >= 0x2194 && cp <= 0x21AA) || (cp >= 0x231A && cp <= 0x23FF) || cp == 0x24C2
        || (cp >= 0x25AA && cp <= 0x25FE) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0x2934 || cp == 0x2935
        || (cp >= 0x2B05 && cp <= 0x2B55) || cp == 0x3030 || cp == 0x303D || cp == 0x3297 || cp == 0x3299
        || (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x1FC00 && cp <= 0x1FFFD);
  }

  static boolean isInvisible(int cp) {
    return cp == 0x200B || cp == 0x200C || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD
        || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  }
}
