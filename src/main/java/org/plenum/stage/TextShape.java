package org.plenum.stage;

import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * The size and shape check every piece of text a client sends passes before any expensive work
 * (Unicode normalisation, blocklist, regular expressions): at most a budget of code points, and no
 * run of more than {@value #MAX_COMBINING_RUN} combining marks (Unicode categories Mn and Me) in a
 * row.
 *
 * <p>Why: NFC puts the combining marks after a base letter into canonical order with an
 * insertion sort, so one letter followed by thousands of marks of alternating classes (U+0301,
 * U+0334) costs time quadratic in the run: about 22 ms per 8 KB word entry, enough for a handful
 * of sockets to stall an event loop. Real writing needs few marks in a row (decomposed Vietnamese
 * two, Hebrew with points and cantillation three or four, keycap emoji two); Unicode's own
 * stream-safe format (UAX #15) allows 30. With runs this short, normalisation stays linear.
 * One pass over the chars, no allocation.
 */
public final class TextShape {
  /** More consecutive combining marks than this are refused. */
  public static final int MAX_COMBINING_RUN = 6;

  private TextShape() {}

  /**
   * Refuses {@code raw} with {@code invalid_field} (naming {@code field}) if it has more than
   * {@code maxCodePoints} code points or a run of more than {@link #MAX_COMBINING_RUN} combining
   * marks. Null passes (the caller decides whether the field is required).
   */
  public static void check(String raw, String field, int maxCodePoints) {
    if (raw == null) {
      return;
    }
    if (raw.length() > 2L * maxCodePoints) {
      throw tooLong(field, maxCodePoints); // surely over budget: not even counted
    }
    int codePoints = 0;
    int run = 0;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      if (++codePoints > maxCodePoints) {
        throw tooLong(field, maxCodePoints);
      }
      if (isCombiningMark(cp)) {
        if (++run > MAX_COMBINING_RUN) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": more than " + MAX_COMBINING_RUN
              + " combining marks in a row");
        }
      } else {
        run = 0;
      }
    }
  }

  /**
   * The same run check over a whole frame as it arrived, before it is parsed: a frame that
   * carries a long run anywhere (in a field this version does not read, too) is refused at once.
   */
  public static boolean hasLongCombiningRun(String frame) {
    int run = 0;
    for (int i = 0; i < frame.length(); i++) {
      char c = frame.charAt(i);
      boolean mark;
      if (c < 0x0300) {
        mark = false; // every combining mark is above U+02FF: an ASCII frame costs one comparison a char
      } else if (Character.isHighSurrogate(c)) {
        mark = isCombiningMark(frame.codePointAt(i));
      } else if (Character.isLowSurrogate(c)) {
        continue; // the second half of a pair, judged with the first
      } else {
        mark = isCombiningMark(c);
      }
      if (!mark) {
        run = 0;
      } else if (++run > MAX_COMBINING_RUN) {
        return true;
      }
    }
    return false;
  }

  static boolean isCombiningMark(int cp) {
    if (cp < 0x0300) {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK;
  }

  private static PlenumException tooLong(String field, int max) {
    return new PlenumException(ErrorCode.INVALID_FIELD, field + ": far too long (over " + max + " characters as sent)");
  }
}
