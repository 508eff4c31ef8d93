package org.plenum.stage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plenum.protocol.ErrorCode;

/**
 * The aggregate of one survey: counts and each participant's current response, the survey's
 * rules, pure (no I/O, no threads). The counting is {@link PollTally}'s, reused as it is over the
 * response's keys ({@link SurveyResponse}); the open-text answers are kept per participant, in
 * the order they last answered (a resubmission moves them to the end). Only an open survey takes
 * responses ({@link #refusal}); every applied response grows the version by one.
 * The memory engine applies it as it is; its twin for Redis is {@code redis/survey_respond.lua}.
 */
public class SurveyTally {
  private final PollTally counts = new PollTally();
  /** Participant -> question id -> text, in the order of their latest response. */
  private final LinkedHashMap<String, Map<String, String>> texts = new LinkedHashMap<>();

  /** Null if {@code survey} (null: none) takes a response now, else the refusal. */
  public static ErrorCode refusal(Survey survey) {
    if (survey == null) {
      return ErrorCode.UNKNOWN_SURVEY;
    }
    return survey.isOpen() ? null : ErrorCode.SURVEY_NOT_OPEN;
  }

  /** The participant's response replaces their previous one; the version grows. */
  public void apply(String participantId, SurveyResponse response) {
    counts.apply(participantId, response.keys());
    texts.remove(participantId);
    if (!response.texts().isEmpty()) {
      texts.put(participantId, response.texts());
    }
  }

  public long version() {
    return counts.version();
  }

  public void version(long v) {
    counts.version(v);
  }

  /** Participants with a response. */
  public int respondents() {
    return counts.ballots().size();
  }

  /** Participant -> encoded keys ({@link Ballot#encode}), to store. */
  public Map<String, String> responses() {
    return counts.ballots();
  }

  /** Participant -> question id -> text, to store (in answer order). */
  public Map<String, Map<String, String>> texts() {
    return java.util.Collections.unmodifiableMap(texts);
  }

  public Map<String, Long> counts() {
    return counts.counts();
  }

  /** Puts one stored response back (replay or snapshot), without growing the version. */
  public void restore(String participantId, String encodedKeys, Map<String, String> answerTexts) {
    long v = counts.version();
    counts.apply(participantId, Ballot.decode(encodedKeys));
    counts.version(v);
    texts.remove(participantId);
    if (answerTexts != null && !answerTexts.isEmpty()) {
      texts.put(participantId, Map.copyOf(answerTexts));
    }
  }

  public SurveyResults results(Survey survey) {
    return results(survey, version(), respondents(), counts(), textsInOrder(texts));
  }

  /** The results from stored parts (the Redis engine reads these back as they are). */
  public static SurveyResults results(Survey survey, long version, long respondents, Map<String, Long> counts,
                                      Map<String, List<String>> textsByQuestion) {
    List<SurveyResults.QuestionResult> out = new ArrayList<>();
    for (SurveyQuestion q : survey.questions()) {
      long answered = counts.getOrDefault(q.id(), 0L);
      PollResults distribution = null;
      if (q.rules() != null) {
        Map<String, Long> mine = new HashMap<>();
        String prefix = q.id() + ":";
        counts.forEach((k, n) -> {
          if (k.startsWith(prefix)) {
            mine.put(k.substring(prefix.length()), n);
          }
        });
        distribution = PollResults.of(q.rules(), version, answered, mine);
      }
      out.add(new SurveyResults.QuestionResult(q.id(), q.kind(), answered, distribution,
          q.kind() == SurveyQuestion.Kind.TEXT ? List.copyOf(textsByQuestion.getOrDefault(q.id(), List.of())) : null));
    }
    return new SurveyResults(survey.talkId(), version, respondents, out);
  }

  /** Question id -> its texts, in answer order, from participant -> question -> text. */
  public static Map<String, List<String>> textsInOrder(Map<String, Map<String, String>> byParticipant) {
    Map<String, List<String>> out = new HashMap<>();
    byParticipant.values().forEach(answers -> answers.forEach((q, t) -> out.computeIfAbsent(q, k -> new ArrayList<>()).add(t)));
    return out;
  }
}
