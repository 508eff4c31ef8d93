package org.plenum.stage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** What an organiser asks for when creating a poll; {@link #toPoll} checks every rule. */
public record PollSpec(PollKind kind, String question, List<String> options, Integer maxSelections,
                       Integer scale, boolean resultsVisible, boolean open, Integer seconds,
                       List<Integer> correct, Integer points, Boolean speedBonus) {

  /** A spec that is not a quiz question. */
  public PollSpec(PollKind kind, String question, List<String> options, Integer maxSelections,
                  Integer scale, boolean resultsVisible, boolean open, Integer seconds) {
    this(kind, question, options, maxSelections, scale, resultsVisible, open, seconds, null, null, null);
  }

  /** A spec without a timer. */
  public PollSpec(PollKind kind, String question, List<String> options, Integer maxSelections,
                  Integer scale, boolean resultsVisible, boolean open) {
    this(kind, question, options, maxSelections, scale, resultsVisible, open, null);
  }

  public static final int MAX_QUESTION = 300;
  public static final int MAX_OPTIONS = 20;
  public static final int MAX_LABEL = 120;

  public Poll toPoll(String pollId, String stageId, Instant now) {
    String q = question == null ? "" : question.strip();
    if (q.isEmpty() || q.length() > MAX_QUESTION) {
      throw invalid("question: 1-" + MAX_QUESTION + " characters");
    }
    List<PollOption> opts = new ArrayList<>();
    QuizRules quiz = null;
    if (kind != PollKind.QUIZ && (correct != null || points != null || speedBonus != null)) {
      throw invalid("correct, points, speedBonus: only for quiz questions (kind quiz)");
    }
    int max;
    Integer pollScale = null;
    if (kind == PollKind.TEXT) {
      OpenTextRules.checkSpec(options, maxSelections, scale);
      max = 1;
    } else if (kind == PollKind.RATING) {
      if (options != null && !options.isEmpty()) {
        throw invalid("options: a rating poll has no options; it uses scale");
      }
      if (maxSelections != null) {
        throw invalid("maxSelections: only for multiple-choice polls");
      }
      pollScale = scale == null ? 5 : scale;
      if (pollScale != 5 && pollScale != 10) {
        throw invalid("scale: 5 or 10");
      }
      max = 1;
    } else {
      if (scale != null) {
        throw invalid("scale: only for rating polls");
      }
      if (options == null || options.size() < 2 || options.size() > MAX_OPTIONS) {
        throw invalid("options: a " + kind.wire() + (kind == PollKind.RANKING ? "" : "-choice") + " poll needs 2 to " + MAX_OPTIONS + " options");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < options.size(); i++) {
        String label = options.get(i) == null ? "" : options.get(i).strip();
        if (label.isEmpty() || label.length() > MAX_LABEL) {
          throw invalid("options[" + i + "]: 1-" + MAX_LABEL + " characters");
        }
        if (!seen.add(label.toLowerCase(java.util.Locale.ROOT))) {
          throw invalid("options[" + i + "]: '" + label + "' is listed twice");
        }
        opts.add(new PollOption(String.valueOf((char) ('a' + i)), label));
      }
      if (kind == PollKind.RANKING) {
        // a ranking orders every option: there is nothing to choose a number of
        if (maxSelections != null && maxSelections != opts.size()) {
          throw invalid("maxSelections: a ranking poll ranks every option; leave it out");
        }
        max = opts.size();
      } else if (kind == PollKind.QUIZ) {
        quiz = quizRules(opts);
        if (maxSelections != null) {
          throw invalid("maxSelections: a quiz question takes as many choices as it has correct options");
        }
        max = quiz.correct().size();
      } else if (kind == PollKind.SINGLE) {
        if (maxSelections != null && maxSelections != 1) {
          throw invalid("maxSelections: a single-choice poll allows exactly one");
        }
        max = 1;
      } else {
        max = maxSelections == null ? opts.size() : maxSelections;
        if (max < 1 || max > opts.size()) {
          throw invalid("maxSelections: 1 to the number of options (" + opts.size() + ")");
        }
      }
    }
    Phase state = open ? Phase.OPEN : Phase.DRAFT;
    if (seconds != null && !open) {
      throw invalid("seconds: a timer needs \"open\": true (set it when opening the poll)");
    }
    Instant closesAt = seconds == null ? null : PollTimer.deadline(now, seconds);
    return new Poll(pollId, stageId, kind, q, List.copyOf(opts), max, pollScale, state, resultsVisible,
        now, open ? now : null, null, closesAt, quiz);
  }

  /** The quiz key: {@code correct} lists option indexes (0-based), at least one, each once. */
  private QuizRules quizRules(List<PollOption> opts) {
    if (correct == null || correct.isEmpty()) {
      throw invalid("correct: a quiz question needs at least one correct option (indexes into options)");
    }
    List<String> ids = new ArrayList<>();
    for (Integer i : correct) {
      if (i == null || i < 0 || i >= opts.size()) {
        throw invalid("correct: option indexes from 0 to " + (opts.size() - 1));
      }
      String id = opts.get(i).id();
      if (ids.contains(id)) {
        throw invalid("correct: index " + i + " is listed twice");
      }
      ids.add(id);
    }
    if (ids.size() == opts.size()) {
      throw invalid("correct: at least one option must be wrong");
    }
    java.util.Collections.sort(ids);
    int worth = points == null ? QuizRules.DEFAULT_POINTS : points;
    if (worth < 1 || worth > QuizRules.MAX_POINTS) { // at least 1: a correct answer always earns something
      throw invalid("points: 1 to " + QuizRules.MAX_POINTS);
    }
    return new QuizRules(ids, worth, Boolean.TRUE.equals(speedBonus));
  }

  private static PlenumException invalid(String message) {
    return new PlenumException(ErrorCode.INVALID_FIELD, message);
  }
}
