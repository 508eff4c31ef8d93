package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** A talk's feedback survey (issue 12): definition, answer rules (the poll's), counting (PollTally's), results. */
class SurveyTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

  static Survey congressSurvey() {
    return Survey.define("st1", "tk1", List.of(
        new SurveyQuestion.Spec(SurveyQuestion.Kind.RATING, "Wie fanden Sie den Vortrag?", null, null, 5, null, true),
        new SurveyQuestion.Spec(SurveyQuestion.Kind.SINGLE, "War er für Ihre Arbeit nützlich?", List.of("Ja", "Teils", "Nein"), null, null, null, false),
        new SurveyQuestion.Spec(SurveyQuestion.Kind.MULTIPLE, "Was war gut?", List.of("Inhalt", "Folien", "Vortrag"), 2, null, null, false),
        new SurveyQuestion.Spec(SurveyQuestion.Kind.TEXT, "Was sollten wir ändern?", null, null, null, 100, false)), NOW);
  }

  private static Map<String, Survey.Answer> answers(Object... pairs) {
    Map<String, Survey.Answer> out = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], (Survey.Answer) pairs[i + 1]);
    }
    return out;
  }

  private static Survey.Answer rating(int r) {
    return new Survey.Answer(null, r, null);
  }

  private static Survey.Answer choices(String... c) {
    return new Survey.Answer(List.of(c), null, null);
  }

  private static Survey.Answer text(String t) {
    return new Survey.Answer(null, null, t);
  }

  @Test
  void aSurveyIsDefinedWithThePollsRulesAndRefusesBadQuestions() {
    Survey s = congressSurvey();
    assertThat(s.state()).isEqualTo(Phase.DRAFT);
    assertThat(s.questions()).extracting(SurveyQuestion::id).containsExactly("q1", "q2", "q3", "q4");
    assertThat(s.question("q1").rules().scale()).isEqualTo(5);
    assertThat(s.question("q3").rules().maxSelections()).isEqualTo(2);
    assertThat(s.question("q4").maxLength()).isEqualTo(100);
    assertThatThrownBy(() -> Survey.define("st1", "tk1", List.of(), NOW)).hasMessageContaining("1 to 20");
    assertThatThrownBy(() -> Survey.define("st1", "tk1", List.of(new SurveyQuestion.Spec(SurveyQuestion.Kind.SINGLE, "Q?",
        List.of("nur eine"), null, null, null, false)), NOW)).hasMessageContaining("questions[0].options");
    assertThatThrownBy(() -> Survey.define("st1", "tk1", List.of(new SurveyQuestion.Spec(SurveyQuestion.Kind.RATING, "Q?",
        null, null, 7, null, false)), NOW)).hasMessageContaining("scale");
    assertThatThrownBy(() -> Survey.define("st1", "tk1", List.of(new SurveyQuestion.Spec(SurveyQuestion.Kind.TEXT, "Q?",
        null, null, null, 5000, false)), NOW)).hasMessageContaining("maxLength");
    assertThatThrownBy(() -> Survey.define("st1", "tk1", List.of(new SurveyQuestion.Spec(SurveyQuestion.Kind.RATING, "Q?",
        null, null, 5, 100, false)), NOW)).hasMessageContaining("only for open-text");
  }

  @Test
  void answersFollowEachQuestionsRulesAndABadOneKeepsNothing() {
    Survey s = congressSurvey().open(NOW);
    SurveyResponse ok = s.response(answers("q1", rating(4), "q3", choices("a", "c"), "q4", text("  Mehr  Pausen ")));
    assertThat(ok.keys().keys()).containsExactly("q1", "q1:4", "q3", "q3:a", "q3:c", "q4");
    assertThat(ok.texts()).containsEntry("q4", "Mehr Pausen");
    refused(() -> s.response(answers("q2", choices("a"))), ErrorCode.MISSING_FIELD, "q1"); // required
    refused(() -> s.response(answers("q1", rating(6))), ErrorCode.INVALID_OPTION, "q1");
    refused(() -> s.response(answers("q1", rating(3), "q2", choices("a", "b"))), ErrorCode.TOO_MANY_SELECTIONS, "q2");
    refused(() -> s.response(answers("q1", rating(3), "q3", choices("z"))), ErrorCode.INVALID_OPTION, "q3");
    refused(() -> s.response(answers("q1", rating(3), "q4", text("x".repeat(101)))), ErrorCode.INVALID_FIELD, "q4");
    refused(() -> s.response(answers("q1", rating(3), "q4", choices("a"))), ErrorCode.INVALID_OPTION, "q4");
    refused(() -> s.response(answers("q1", text("gut"))), ErrorCode.INVALID_OPTION, "q1");
    refused(() -> s.response(answers("q1", rating(3), "q9", rating(1))), ErrorCode.INVALID_OPTION, "q9");
    refused(() -> s.response(Map.of()), ErrorCode.MISSING_FIELD, "answers");
    // an optional text left blank is no answer
    assertThat(s.response(answers("q1", rating(2), "q4", text("   "))).keys().keys()).containsExactly("q1", "q1:2");
  }

  @Test
  void aResubmissionReplacesTheResponseAndResultsAggregatePerQuestion() {
    Survey s = congressSurvey().open(NOW);
    SurveyTally tally = new SurveyTally();
    assertThat(SurveyTally.refusal(s)).isNull();
    assertThat(SurveyTally.refusal(null)).isEqualTo(ErrorCode.UNKNOWN_SURVEY);
    assertThat(SurveyTally.refusal(congressSurvey())).isEqualTo(ErrorCode.SURVEY_NOT_OPEN);
    assertThat(SurveyTally.refusal(s.close(NOW))).isEqualTo(ErrorCode.SURVEY_NOT_OPEN);

    tally.apply("p1", s.response(answers("q1", rating(5), "q2", choices("a"), "q4", text("Toll"))));
    tally.apply("p2", s.response(answers("q1", rating(3), "q3", choices("b", "c"))));
    tally.apply("p1", s.response(answers("q1", rating(4), "q4", text("Mehr Beispiele")))); // replaces p1's
    SurveyResults r = tally.results(s);
    assertThat(r.version()).isEqualTo(3);
    assertThat(r.respondents()).isEqualTo(2);
    SurveyResults.QuestionResult q1 = r.questions().get(0);
    assertThat(q1.answered()).isEqualTo(2);
    assertThat(q1.distribution().counts()).containsExactly(Map.entry("1", 0L), Map.entry("2", 0L), Map.entry("3", 1L),
        Map.entry("4", 1L), Map.entry("5", 0L));
    assertThat(q1.distribution().mean()).isEqualTo(3.5);
    assertThat(r.questions().get(1).answered()).as("p1's q2 answer left with the resubmission").isZero();
    assertThat(r.questions().get(2).distribution().counts()).containsEntry("b", 1L).containsEntry("c", 1L).containsEntry("a", 0L);
    assertThat(r.questions().get(3).texts()).containsExactly("Mehr Beispiele");
    assertThat(r.withoutTexts().questions().get(3).texts()).isNull();

    // restored from stored parts, the results are the same
    SurveyTally restored = new SurveyTally();
    tally.responses().forEach((p, keys) -> restored.restore(p, keys, tally.texts().get(p)));
    restored.version(tally.version());
    assertThat(restored.results(s)).isEqualTo(r);
  }

  private static void refused(Runnable r, ErrorCode code, String names) {
    assertThatThrownBy(r::run).isInstanceOf(PlenumException.class)
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(code)).hasMessageContaining(names);
  }
}
