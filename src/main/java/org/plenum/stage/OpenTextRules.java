package org.plenum.stage;

import java.util.List;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * The rules of open-text polls ({@link PollKind#TEXT}): the poll is the prompt (its lifecycle,
 * timer and presentation are a poll's), the answers are posts of kind {@link PostKind#ANSWER}
 * (moderated as posts are). A text poll has no options and takes no votes; an answer goes only to
 * a text poll, and only while it is open (the engines check that in the same step that stores it).
 */
public final class OpenTextRules {
  /** An answer is as long as any post: longer than a word-cloud entry, short enough for a wall. */
  public static final int MAX_ANSWER = Post.MAX_TEXT;

  private OpenTextRules() {}

  static void checkSpec(List<String> options, Integer maxSelections, Integer scale) {
    if (options != null && !options.isEmpty()) {
      throw invalid("options: a text poll has no options; the audience writes answers");
    }
    if (maxSelections != null) {
      throw invalid("maxSelections: only for multiple-choice polls");
    }
    if (scale != null) {
      throw invalid("scale: only for rating polls");
    }
  }

  /** A vote on a text poll is refused with {@code wrong_poll_kind}: it takes answers. */
  static void refuseVote(Poll poll) {
    if (poll.kind() == PollKind.TEXT) {
      throw new PlenumException(ErrorCode.WRONG_POLL_KIND,
          "pollId: poll " + poll.id() + " takes written answers, not votes; send an answer message");
    }
  }

  /** An answer to a poll that takes votes is refused with {@code wrong_poll_kind}. */
  public static void requireTextPoll(Poll poll) {
    if (poll.kind() != PollKind.TEXT) {
      throw new PlenumException(ErrorCode.WRONG_POLL_KIND,
          "pollId: poll " + poll.id() + " is a " + poll.kind().wire() + " poll; it takes votes, not answers");
    }
  }

  private static PlenumException invalid(String message) {
    return new PlenumException(ErrorCode.INVALID_FIELD, message);
  }
}
