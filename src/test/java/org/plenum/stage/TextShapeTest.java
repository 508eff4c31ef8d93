package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

class TextShapeTest {
  @Test
  void realWritingPasses() {
    for (String text : new String[] {
        "Tie\u0302\u0301ng Vie\u0323\u0302t", // Vietnamese, decomposed
        "\u05E9\u05C1\u05B8\u05DC\u05D5\u05B9\u05DD", // Hebrew with points
        "1\uFE0F\u20E3", // keycap emoji
        "\uD83D\uDC69\u200D\uD83D\uDCBB", // woman technologist (ZWJ sequence)
        "Straße, Ärger, ÆØÅ, Zürich", "こんにちは", "مرحبا"}) {
      TextShape.check(text, "text", 100);
      assertThat(TextShape.hasLongCombiningRun(text)).as(text).isFalse();
    }
  }

  @Test
  void sixMarksInARowPassAndSevenAreRefused() {
    TextShape.check("a" + "\u0301".repeat(6), "text", 100);
    assertThatThrownBy(() -> TextShape.check("a" + "\u0301\u0334".repeat(3) + "\u0301", "text", 100))
        .isInstanceOf(PlenumException.class)
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(ErrorCode.INVALID_FIELD))
        .hasMessageStartingWith("text: more than 6 combining marks");
    assertThat(TextShape.hasLongCombiningRun("{\"text\":\"a" + "\u0301".repeat(7) + "\"}")).isTrue();
    assertThat(TextShape.hasLongCombiningRun("a" + "\u0301".repeat(6) + "b" + "\u0301".repeat(6))).isFalse();
  }

  @Test
  void marksOutsideTheBasicPlaneCountToo() {
    String tremolo = "\uD834\uDD67"; // U+1D167 MUSICAL SYMBOL COMBINING TREMOLO-1, category Mn
    assertThat(TextShape.hasLongCombiningRun("a" + tremolo.repeat(7))).isTrue();
    assertThat(TextShape.hasLongCombiningRun("a" + tremolo.repeat(6))).isFalse();
    assertThatThrownBy(() -> TextShape.check("a" + tremolo.repeat(7), "name", 100)).isInstanceOf(PlenumException.class);
  }

  @Test
  void theCodePointBudgetCountsCodePointsNotChars() {
    String emoji = "\uD83D\uDC4F"; // two chars, one code point
    TextShape.check(emoji.repeat(10), "text", 10);
    assertThatThrownBy(() -> TextShape.check(emoji.repeat(11), "text", 10))
        .isInstanceOf(PlenumException.class).hasMessageStartingWith("text: far too long");
    assertThatThrownBy(() -> TextShape.check("a".repeat(21), "text", 10)).isInstanceOf(PlenumException.class);
  }

  @Test
  void normalisingTheAttackTextIsRefusedBeforeItStarts() {
    String attack = "a" + "\u0301\u0334".repeat(1999);
    assertThatThrownBy(() -> TextRules.clean(attack, "text"))
        .isInstanceOf(PlenumException.class).hasMessageContaining("combining marks");
  }
}
