package org.plenum.stage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * A poll's definition and lifecycle. Immutable: each change of state returns a new Poll.
 * Votes are counted per "choice key": the option ids for choice polls, "1".."scale" for ratings.
 *
 * <p>{@code closesAt}: while the poll is open, the deadline its timer closes it at (null: no timer).
 * From that instant on the engines refuse votes ({@code poll_closed}) even before the state flips;
 * {@link org.plenum.engine.PollDeadlines} flips it. Any other change of state clears it.
 */
public record Poll(String id, String stageId, PollKind kind, String question, List<PollOption> options,
                   int maxSelections, Integer scale, Phase state, boolean resultsVisible,
                   Instant createdAt, Instant openedAt, Instant closedAt, Instant closesAt, QuizRules quiz) {

  /** A poll that is not a quiz (every poll before quizzes existed). */
  public Poll(String id, String stageId, PollKind kind, String question, List<PollOption> options,
              int maxSelections, Integer scale, Phase state, boolean resultsVisible,
              Instant createdAt, Instant openedAt, Instant closedAt, Instant closesAt) {
    this(id, stageId, kind, question, options, maxSelections, scale, state, resultsVisible,
        createdAt, openedAt, closedAt, closesAt, null);
  }

  /** This poll back in draft, with no timer and no opening or closing times (a stage reset); a quiz keeps its key. */
  public Poll toDraft() {
    return new Poll(id, stageId, kind, question, options, maxSelections, scale, Phase.DRAFT, resultsVisible,
        createdAt, null, null, null, quiz);
  }

  public boolean isQuiz() {
    return kind == PollKind.QUIZ;
  }

  /** A poll without a timer (every poll before timers existed). */
  public Poll(String id, String stageId, PollKind kind, String question, List<PollOption> options,
              int maxSelections, Integer scale, Phase state, boolean resultsVisible,
              Instant createdAt, Instant openedAt, Instant closedAt) {
    this(id, stageId, kind, question, options, maxSelections, scale, state, resultsVisible,
        createdAt, openedAt, closedAt, null);
  }

  /** The keys results are counted under, in display order. */
  public List<String> choiceKeys() {
    if (kind == PollKind.RATING) {
      List<String> keys = new ArrayList<>(scale);
      for (int i = 1; i <= scale; i++) {
        keys.add(String.valueOf(i));
      }
      return keys;
    }
    List<String> keys = new ArrayList<>(options.size());
    for (PollOption o : options) {
      keys.add(o.id());
    }
    return Collections.unmodifiableList(keys);
  }

  public boolean isOpen() {
    return state == Phase.OPEN;
  }

  /** Whether viewers and presenters may see this poll at all (drafts are the moderators' own). */
  public boolean isPublic() {
    return state != Phase.DRAFT;
  }

  /** Opens the poll; an open one stays as it is (its timer too). */
  public Poll open(Instant now) {
    return state == Phase.OPEN ? this : withState(Phase.OPEN, now, null, null);
  }

  /** Opens the poll (if it is not open) and sets its timer to {@code seconds} from now (see {@link PollTimer}). */
  public Poll openFor(Instant now, int seconds) {
    return open(now).withClosesAt(PollTimer.deadline(now, seconds));
  }

  public Poll close(Instant now) {
    return state == Phase.CLOSED ? this : withState(Phase.CLOSED, openedAt, now, null);
  }

  /**
   * Closed by its timer: the close is the deadline itself, not the moment a node got round to it,
   * so every node that tries writes the very same poll (the close is idempotent).
   */
  public Poll closeAtDeadline() {
    return withState(Phase.CLOSED, openedAt, closesAt, null);
  }

  /** Sets (or, with null, clears) the timer of an open poll; refuses on a poll that is not open. */
  public Poll withClosesAt(Instant deadline) {
    if (!isOpen()) {
      throw new PlenumException(ErrorCode.POLL_NOT_OPEN,
          "Poll " + id + " is " + state.wire() + ": a timer runs only while the poll is open.");
    }
    return new Poll(id, stageId, kind, question, options, maxSelections, scale, state, resultsVisible,
        createdAt, openedAt, closedAt, deadline, quiz);
  }

  /** Whether the poll's timer has run out at {@code nowMillis} (it takes no votes any more, whatever its state says). */
  public boolean expired(long nowMillis) {
    return isOpen() && closesAt != null && nowMillis >= closesAt.toEpochMilli();
  }

  public Poll withResultsVisible(boolean visible) {
    return new Poll(id, stageId, kind, question, options, maxSelections, scale, state, visible,
        createdAt, openedAt, closedAt, closesAt, quiz);
  }

  private Poll withState(Phase next, Instant opened, Instant closed, Instant deadline) {
    return new Poll(id, stageId, kind, question, options, maxSelections, scale, next, resultsVisible,
        createdAt, opened, closed, deadline, quiz);
  }

  /**
   * Checks a vote against this poll's rules and returns it as the sorted set of choice keys it
   * counts under. Does not check whether the poll is open: the engine decides that atomically.
   */
  public Ballot ballot(List<String> choices, Integer rating) {
    OpenTextRules.refuseVote(this);
    if (kind == PollKind.RANKING) {
      return RankingBallot.of(this, choices, rating);
    }
    if (kind == PollKind.RATING) {
      if (choices != null) {
        throw new PlenumException(ErrorCode.INVALID_OPTION, "choices: this is a rating poll; send rating 1-" + scale);
      }
      if (rating == null || rating < 1 || rating > scale) {
        throw new PlenumException(ErrorCode.INVALID_OPTION, "rating: must be 1 to " + scale);
      }
      return new Ballot(List.of(String.valueOf(rating)));
    }
    if (choices == null) {
      throw new PlenumException(ErrorCode.INVALID_OPTION, kind == PollKind.QUIZ ? "rating: this is a quiz question; send choices"
          : "rating: this is a " + kind.wire() + "-choice poll; send choices");
    }
    if (choices.isEmpty()) {
      throw new PlenumException(ErrorCode.INVALID_OPTION, "choices: choose at least one option");
    }
    if (choices.size() > maxSelections) {
      throw new PlenumException(ErrorCode.TOO_MANY_SELECTIONS,
          "choices: at most " + maxSelections + (maxSelections == 1 ? " option" : " options") + " in this poll");
    }
    List<String> keys = choiceKeys();
    List<String> sorted = new ArrayList<>(choices.size());
    for (String c : choices) {
      if (!keys.contains(c)) {
        throw new PlenumException(ErrorCode.INVALID_OPTION, "choices: '" + abbreviate(c) + "' is not an option of this poll");
      }
      if (sorted.contains(c)) {
        throw new PlenumException(ErrorCode.INVALID_OPTION, "choices: '" + c + "' is chosen twice");
      }
      sorted.add(c);
    }
    Collections.sort(sorted);
    return new Ballot(List.copyOf(sorted));
  }

  private static String abbreviate(String s) {
    return s.length() > 20 ? s.substring(0, 20) + "…" : s;
  }
}
