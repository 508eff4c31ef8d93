package org.plenum.stage;

import java.util.Map;

/**
 * A participant's checked response to a survey. {@code keys} is one {@link Ballot} over the whole
 * survey, so the poll's counting rules ({@link PollTally}: a new ballot replaces the previous one,
 * whose keys leave the counts first) count a survey unchanged: {@code q1} for every answered
 * question (its respondents), {@code q1:4} / {@code q2:a} for a rating or choice. {@code texts}
 * holds the open-text answers by question id; they are not counted, only kept (moderators read
 * them).
 */
public record SurveyResponse(Ballot keys, Map<String, String> texts) {

  public SurveyResponse {
    texts = Map.copyOf(texts);
  }
}
