package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** Word-cloud normalisation as a table: what people type → the key it groups under, and the spelling shown. */
class WordNormalizerTest {

  @ParameterizedTest(name = "[{index}] \"{0}\" → key \"{1}\", shown \"{2}\"")
  @CsvSource(delimiter = '|', textBlock = """
      Straße                  | strasse                | Straße
      STRASSE                 | strasse                | STRASSE
      strasse                 | strasse                | strasse
      Ärger                   | ärger                  | Ärger
      ÄRGER                   | ärger                  | ÄRGER
      '  Open    Source  '    | open source            | Open Source
      '#KI!'                  | ki                     | KI
      '„Datenschutz“'         | datenschutz            | Datenschutz
      '(Cloud)'               | cloud                  | Cloud
      E-Government            | e-government           | E-Government
      '...?'                  |                        |
      👍                      | 👍                     | 👍
      '❤️'                    | ❤                      | ❤️
      '❤'                     | ❤                      | ❤
      '👩‍💻'                    | 👩‍💻                     | 👩‍💻
      שלום                    | שלום                   | שלום
      'مرحبا بالعالم'         | مرحبا بالعالم          | مرحبا بالعالم
      'Da\u200Bten'           | daten                  | Daten
      'KI\u202E'              | ki                     | KI
      'Ver\u00ADwaltung'      | verwaltung             | Verwaltung
      'eine zwei drei'        | eine zwei drei         | eine zwei drei
      'Daten\u200Dschutz'     | datenschutz            | Datenschutz
      'KI\u200D'              | ki                     | KI
      '\u200DKI'              | ki                     | KI
      'Open \u200DSource'     | open source            | Open Source
      '👍\u200DKI'             | 👍ki                   | 👍KI
      """)
  void normalises(String raw, String key, String spelling) {
    String input = unescape(raw);
    if (key == null) {
      assertThatThrownBy(() -> WordNormalizer.normalize(input)).isInstanceOf(PlenumException.class);
      return;
    }
    Word w = WordNormalizer.normalize(input);
    assertThat(w.key()).isEqualTo(unescape(key));
    assertThat(w.spelling()).isEqualTo(unescape(spelling));
  }

  /** CSV cannot hold invisible characters readably, so the table writes them as \\uXXXX. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("\\u", i) && i + 6 <= s.length()) {
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }

  @ParameterizedTest(name = "[{index}] {0} keeps its joiners")
  @ValueSource(strings = {"👩‍💻", "🧑🏽‍💻", "❤️‍🔥", "🏳️‍🌈", "👨‍👩‍👧", "👁️‍🗨️"})
  void emojiZwjSequencesStayIntact(String emoji) {
    Word w = WordNormalizer.normalize(emoji);
    assertThat(w.spelling()).isEqualTo(emoji);
    assertThat(w.key()).isEqualTo(emoji.replace("\uFE0F", ""));
  }

  @Test
  void aZeroWidthJoinerBetweenLettersIsTheSameWordAsWithout() {
    assertThat(WordNormalizer.normalize("Daten\u200Dschutz")).isEqualTo(WordNormalizer.normalize("Datenschutz"));
    assertThatThrownBy(() -> new Blocklist(List.of()).check(WordNormalizer.normalize("Schei\u200Dsse")))
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(ErrorCode.BLOCKED_WORD));
  }

  @Test
  void nfcAndNfdSpellingsAreTheSameWord() {
    String nfd = "A\u0308rger"; // A + combining diaeresis
    assertThat(WordNormalizer.normalize(nfd)).isEqualTo(WordNormalizer.normalize("Ärger"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\u200B\u200B", "!!!", "eins zwei drei vier",
      "Donaudampfschifffahrtsgesellschaftskapitänsmütze"})
  void refusesWhatIsNoEntry(String raw) {
    assertThatThrownBy(() -> WordNormalizer.normalize(raw))
        .isInstanceOf(PlenumException.class)
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(ErrorCode.INVALID_FIELD));
  }

  @Test
  void tenKilobytesAreRefusedQuickly() {
    String huge = "x".repeat(10_240);
    long start = System.nanoTime();
    assertThatThrownBy(() -> WordNormalizer.normalize(huge)).isInstanceOf(PlenumException.class)
        .hasMessageContaining("text");
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L); // no pathological work, generously bounded
  }

  @Test
  void fortyCharactersCountCodePointsNotUtf16Units() {
    String forty = "😀".repeat(40);
    assertThat(WordNormalizer.normalize(forty).spelling()).isEqualTo(forty);
    assertThatThrownBy(() -> WordNormalizer.normalize("😀".repeat(41))).isInstanceOf(PlenumException.class);
  }

  @Test
  void blocklistMatchesWholeWordsOfTheKeyAndTheOrganisersWords() {
    Blocklist blocklist = new Blocklist(List.of("Bürokratiemonster"));
    assertThatThrownBy(() -> blocklist.check(WordNormalizer.normalize("SCHEISSE")))
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(ErrorCode.BLOCKED_WORD));
    assertThatThrownBy(() -> blocklist.check(WordNormalizer.normalize("so ein Bürokratiemonster")))
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(ErrorCode.BLOCKED_WORD));
    blocklist.check(WordNormalizer.normalize("Klassenkampf"));
    blocklist.check(WordNormalizer.normalize("Shitstorm-Resilienz"));
  }
}
