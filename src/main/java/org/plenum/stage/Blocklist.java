package org.plenum.stage;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * Words refused in word clouds: a short default list of German and English slurs and obscenities,
 * plus the organiser's own words for the event. Matches whole words of the case-folded key, so
 * "Klassenkampf" is not refused for containing "ass".
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

  private final Set<String> words = new HashSet<>();

  public Blocklist(List<String> organiserWords) {
    for (String w : DEFAULTS) {
      words.add(WordNormalizer.key(w));
    }
    for (String w : organiserWords) {
      String key = WordNormalizer.key(TextRules.clean(w, "blockedWords").strip());
      if (!key.isEmpty()) {
        words.add(key);
      }
    }
  }

  /** Refuses the word with {@code blocked_word} if any of its words is blocked. */
  public void check(Word word) {
    for (String part : word.key().split("[ \\-_/.]+")) {
      if (words.contains(part)) {
        throw new PlenumException(ErrorCode.BLOCKED_WORD, "text: this word is not allowed here");
      }
    }
    if (words.contains(word.key())) {
      throw new PlenumException(ErrorCode.BLOCKED_WORD, "text: this word is not allowed here");
    }
  }
}
