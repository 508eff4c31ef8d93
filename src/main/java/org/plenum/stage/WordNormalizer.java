package org.plenum.stage;

import java.util.Locale;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * Turns what a participant typed into a word-cloud entry, so the cloud shows what people meant:
 * cleaned ({@link TextRules}), surrounding punctuation removed, 1-3 words of at most 40
 * characters; grouped by a case-folded key that is German-aware ({@code Straße} and
 * {@code STRASSE} group together, as do {@code Ärger} and {@code ärger}) and ignores emoji
 * presentation selectors, while the spelling shown keeps the participant's capitals.
 */
public final class WordNormalizer {
  public static final int MAX_CHARS = 40;
  public static final int MAX_WORDS = 3;

  private WordNormalizer() {}

  public static Word normalize(String raw) {
    String cleaned = TextRules.clean(raw, "text");
    if (cleaned.length() > MAX_CHARS * 4) {
      throw tooLong();
    }
    String spelling = stripSurroundingPunctuation(cleaned);
    if (spelling.isEmpty()) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "text: enter a word (punctuation alone is not one)");
    }
    if (spelling.codePointCount(0, spelling.length()) > MAX_CHARS) {
      throw tooLong();
    }
    if (spelling.split(" ").length > MAX_WORDS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "text: at most " + MAX_WORDS + " words");
    }
    return new Word(key(spelling), spelling);
  }

  /** The grouping key: full case folding (upper then lower turns ß into ss), without emoji variation selectors. */
  public static String key(String spelling) {
    String folded = spelling.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return folded.replace("\uFE0F", "").replace("\uFE0E", "");
  }

  private static String stripSurroundingPunctuation(String s) {
    int start = 0;
    int end = s.length();
    while (start < end) {
      int cp = s.codePointAt(start);
      if (!isPunctuationOrSpace(cp)) {
        break;
      }
      start += Character.charCount(cp);
    }
    while (end > start) {
      int cp = s.codePointBefore(end);
      if (!isPunctuationOrSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(start, end);
  }

  private static boolean isPunctuationOrSpace(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
           Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
           Character.OTHER_PUNCTUATION -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static PlenumException tooLong() {
    return new PlenumException(ErrorCode.INVALID_FIELD, "text: at most " + MAX_CHARS + " characters");
  }
}
