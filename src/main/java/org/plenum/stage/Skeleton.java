package org.plenum.stage;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The "skeleton" of a word for the blocklist: what it looks like, not how it was typed. Folded are
 * compatibility forms (fullwidth, mathematical and circled letters, via NFKD), accents and other
 * combining marks, case (fully: ß becomes ss), the Cyrillic and Greek letters that look like Latin
 * ones (a Cyrillic "а" in a Latin word), and the usual digit and symbol stand-ins (0 for o, 1 and
 * ! for i, 3 for e, 4 and @ for a, 5 and $ for s, 7 for t). Everything that is then not a letter
 * is dropped, so dots, dashes, stars, zero-width characters and soft hyphens inside a word do not
 * split it ("f.u.c.k", "sch\u00ADeisse").
 *
 * <p>Both sides are folded the same way (the blocked words and what was typed), so folding that
 * merges two real words (ä and a) costs at most a rare false refusal, never a miss. Linear in the
 * input; callers bound the input first ({@link TextShape}).
 */
public final class Skeleton {
  /** lookalike → Latin letter, after case folding (so lower-case forms suffice). */
  private static final Map<Integer, Integer> LOOKALIKES = new HashMap<>();

  static {
    String pairs =
        // Cyrillic
        "а a  в b  е e  ё e  з 3  і i  ї i  ј j  к k  м m  н h  о o  р p  с c  т t  у y  х x  ѕ s  ԁ d  ӏ l  ь b  г r  п n "
        // Greek
        + "α a  β b  ε e  η n  ι i  κ k  ν v  ο o  ρ p  τ t  υ u  χ x  ω w "
        // digits and symbols typed for letters
        + "0 o  1 i  ! i  | l  3 e  4 a  @ a  5 s  $ s  7 t";
    String[] parts = pairs.trim().split("\\s+");
    for (int i = 0; i < parts.length; i += 2) {
      LOOKALIKES.put(parts[i].codePointAt(0), parts[i + 1].codePointAt(0));
    }
    // "з" looks like a 3, which stands for e: map it straight to e
    LOOKALIKES.put((int) 'з', (int) 'e');
  }

  private Skeleton() {}

  /** The skeleton of one word (or of a token typed as one); empty if it has no letters. */
  public static String of(String token) {
    String decomposed = Normalizer.normalize(token, Normalizer.Form.NFKD);
    String folded = decomposed.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(folded.length());
    for (int i = 0; i < folded.length(); ) {
      int cp = folded.codePointAt(i);
      i += Character.charCount(cp);
      int mapped = LOOKALIKES.getOrDefault(cp, cp);
      if (Character.isLetter(mapped)) {
        out.appendCodePoint(mapped);
      }
    }
    return out.toString();
  }
}
