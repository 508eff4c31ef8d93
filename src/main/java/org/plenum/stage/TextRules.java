package org.plenum.stage;

import java.text.Normalizer;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * Cleans text people type: Unicode NFC; invisible and direction-override characters removed
 * (they hide or disguise text); control characters and every kind of space become one plain
 * space; trimmed. Right-to-left text itself is untouched.
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
      if (isInvisible(cp)) {
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
   * embeddings, overrides and isolates. The zero-width joiner (U+200D) stays: emoji sequences
   * such as 👩‍💻 need it.
   */
  static boolean isInvisible(int cp) {
    return cp == 0x200B || cp == 0x200C || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD
        || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  }
}
