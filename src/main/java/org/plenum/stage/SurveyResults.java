package org.plenum.stage;

import java.util.List;

/**
 * A survey's aggregated results: per question the respondents who answered it, the distribution
 * (rating: counts per point and the mean; choice: counts per option — {@link PollResults}, the
 * poll's own shape) and, for open text, the answers. The texts are for moderators and organisers
 * only; a public view must leave them out ({@link #withoutTexts}).
 */
public record SurveyResults(String talkId, long version, long respondents, List<QuestionResult> questions) {

  public record QuestionResult(String questionId, SurveyQuestion.Kind kind, long answered, PollResults distribution,
                               List<String> texts) {}

  /** The results without the open-text answers. */
  public SurveyResults withoutTexts() {
    return new SurveyResults(talkId, version, respondents, questions.stream()
        .map(q -> new QuestionResult(q.questionId(), q.kind(), q.answered(), q.distribution(), null)).toList());
  }
}
