package org.plenum.stage;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * Words refused in word clouds, questions and comments (and the names posts are signed with): a
 * short default list of German and English slurs and obscenities, plus the organiser's own words
 * for the event. Matches whole words by their {@link Skeleton} (homoglyphs, stand-ins, accents and
 * separators inside a word folded away), so "Klassenkampf" is not refused for containing "ass".
 */
public final class Blocklist {
  /** Deliberately short: the organiser adds what fits their event; moderators hide the rest. */
  public static final List<String> DEFAULTS = List.of(
      // German
      "arschloch", "fotze", "hurensohn", "wichser", "ficken", "fick", "scheisse", "scheiß", "schlampe", "missgeburt",
      "spast", "spasti", "mongo", "neger", "kanake", "schwuchtel", "drecksau", "hure", "nutte", "fresse",
      // English
      "fuck", "fucking", "fucker", "motherfucker", "shit", "bullshit", "cunt", "bitch", "asshole", "dick",
      "wanker", "nigger", "nigga", "faggot", "retard", "slut", "whore", "bastard");

  /** Skeletons ({@link Skeleton}) of the blocked single words. */
  private final Set<String> words = new HashSet<>();
  /** Blocked phrases of several words, as skeletons joined by single spaces. */
  private final List<String> phrases = new java.util.ArrayList<>();

  public Blocklist(List<String> organiserWords) {
    for (String w : DEFAULTS) {
      add(w);
    }
    for (String w : organiserWords) {
      add(TextRules.clean(w, "blockedWords").strip());
    }
  }

  private void add(String entry) {
    List<String> parts = skeletons(entry);
    if (parts.size() == 1) {
      words.add(parts.get(0));
    } else if (parts.size() > 1) {
      phrases.add(String.join(" ", parts));
    }
  }

  /** Refuses a word-cloud entry with {@code blocked_word} if any of its words is blocked. */
  public void check(Word word) {
    if (contains(word.spelling())) {
      throw new PlenumException(ErrorCode.BLOCKED_WORD, "text: this word is not allowed here");
    }
  }

  /**
   * Refuses a question's or comment's text (or the name it is signed with) with
   * {@code blocked_word} if it contains a blocked word or phrase anywhere, as a whole word.
   */
  public void checkText(String text, String field) {
    if (text != null && contains(text)) {
      throw new PlenumException(ErrorCode.BLOCKED_WORD, field + ": contains a word that is not allowed here");
    }
  }

  /**
   * Whether the text holds a blocked word: each whitespace-separated token is compared by its
   * skeleton (so "f.u.c.k", "sh1t" and a Cyrillic "а" inside a word are caught), so are its parts
   * between punctuation ("fuck-you") and each run of single letters typed apart ("f u c k").
   * Whole tokens and parts only, never letters inside a word, so "Klassenkampf" is not refused for
   * containing "ass" (the Scunthorpe problem).
   */
  public boolean contains(String text) {
    List<String> tokens = new java.util.ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (String token : text.split(WHITESPACE)) {
      String t = Skeleton.of(token);
      if (t.isEmpty()) {
        continue;
      }
      tokens.add(t);
      if (words.contains(t) || anyPartBlocked(token)) {
        return true;
      }
      if (t.codePointCount(0, t.length()) == 1) {
        run.append(t);
        if (run.length() > LONGEST_RUN) {
          run.delete(0, run.length() - LONGEST_RUN);
        }
        for (int start = 0; start < run.length() - 1; start++) { // every run ending here: "a f u c k"
          if (words.contains(run.substring(start))) {
            return true;
          }
        }
      } else {
        run.setLength(0);
      }
    }
    if (!phrases.isEmpty()) {
      String joined = " " + String.join(" ", tokens) + " ";
      for (String phrase : phrases) {
        if (joined.contains(" " + phrase + " ")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a part of a token between punctuation is blocked ("fuck-you", "Open/shit"). */
  private boolean anyPartBlocked(String token) {
    String[] parts = token.split(SEPARATORS);
    if (parts.length < 2) {
      return false;
    }
    for (String part : parts) {
      if (words.contains(Skeleton.of(part))) {
        return true;
      }
    }
    return false;
  }

  /** Runs of single letters are compared up to this length (longer than any blocked word worth typing apart). */
  private static final int LONGEST_RUN = 32;
  private static final String WHITESPACE = "[\\s\\p{Z}]+";
  /** Punctuation and symbols, except those typed for letters (@ $ ! |). */
  private static final String SEPARATORS = "[\\p{P}\\p{S}&&[^@$!|]]+";

  /** The skeletons of the text's whitespace-separated tokens, tokens without letters left out. */
  private static List<String> skeletons(String text) {
    List<String> out = new java.util.ArrayList<>();
    for (String token : text.split(WHITESPACE)) {
      String skeleton = Skeleton.of(token);
      if (!skeleton.isEmpty()) {
        out.add(skeleton);
      }
    }
    return out;
  }
}
