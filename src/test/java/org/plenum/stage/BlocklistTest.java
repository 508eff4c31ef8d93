package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** The profanity filter: what it catches however it is disguised, and what it must let through. */
class BlocklistTest {
  private final Blocklist list = new Blocklist(List.of("Querdenker", "Open Source Bashing"));

  @Test
  void catchesBlockedWordsHoweverTheyAreDisguised() {
    for (String text : List.of(
        "What the fuck?",                    // plain, with punctuation around it
        "What the FUCK",                     // case
        "Das ist sch\u0435isse",             // a Cyrillic е inside a Latin word
        "\u0455hit happens",                 // Cyrillic ѕ
        "sh1t happens",                      // a digit for a letter
        "f.u.c.k you", "f-u-c-k", "f_u_c_k", "f*u*c*k",
        "f u c k this", "oh a f u c k",      // letters typed apart, also after another single letter
        "fu\u200Bck", "sch\u00ADeisse",      // zero-width space, soft hyphen
        "\uFF46\uFF55\uFF43\uFF4B",          // fullwidth
        "\uD835\uDC1F\uD835\uDC2E\uD835\uDC1C\uD835\uDC24", // mathematical bold
        "fúck",                              // an accent
        "fuck-you",                          // part of a hyphenated token
        "ein Qu3rd3nk3r",                    // the organiser's word with stand-ins
        "wir sind gegen open source bashing" // the organiser's phrase
    )) {
      assertThat(list.contains(text)).as(text).isTrue();
    }
  }

  @Test
  void letsOrdinaryTextThrough() {
    for (String text : List.of(
        "Klassenkampf und Passwort", "Wie funktioniert die EUDI-Wallet?", "Dickens und Dickicht",
        "Schießstand", "Punkt 1 a", "Open Source ist super", "Sussex, Essex und Assen", "Ärger über 2026",
        "cocktail", "Skunthorpe", "s h i p")) {
      assertThat(list.contains(text)).as(text).isFalse();
    }
  }

  @Test
  void refusesWithAClearCodeNamingTheField() {
    assertThatThrownBy(() -> list.checkText("Sie sind ein Arschl0ch", "text"))
        .isInstanceOfSatisfying(PlenumException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BLOCKED_WORD);
          assertThat(e.getMessage()).isEqualTo("text: contains a word that is not allowed here");
        });
    assertThatThrownBy(() -> list.check(WordNormalizer.normalize("f.u.c.k")))
        .isInstanceOfSatisfying(PlenumException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOCKED_WORD));
    list.check(WordNormalizer.normalize("Open Source"));
    list.checkText(null, "name");
  }
}
