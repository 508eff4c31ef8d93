package org.plenum.stage;

import java.time.Instant;
import java.util.Locale;

/**
 * What a stage's hall screen (projector) and stream overlay show, chosen live by a moderator
 * ("present this"). {@link Kind#AUTO} is the default: the pages follow the moderators' actions by
 * themselves (the open poll or cloud, a pinned question, the last results).
 *
 * @param target the poll, cloud or post shown, for the kinds that show one thing; else null
 * @param since  when the moderator chose it (null for the default)
 */
public record Presentation(Kind kind, String target, Instant since) {
  public static final Presentation AUTO = new Presentation(Kind.AUTO, null, null);

  public enum Kind {
    /** The pages choose by themselves what the moderators are running. */
    AUTO(false),
    /** A blank screen (the stage's name only). */
    NOTHING(false),
    /** A poll: its question and options, and its results where they are shown. */
    POLL(true),
    /** A poll's results (presenting them reveals them). */
    RESULTS(true),
    /** A word cloud (presenting it reveals its words). */
    CLOUD(true),
    /** One question, large ("now answering"). */
    QUESTION(true),
    /** The pinned question and the most upvoted ones. */
    QUESTIONS(false),
    /** The stage's quiz leaderboard (the top nicknames by points). */
    LEADERBOARD(false);

    private final boolean needsTarget;

    Kind(boolean needsTarget) {
      this.needsTarget = needsTarget;
    }

    public boolean needsTarget() {
      return needsTarget;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code s}, or null if there is none. */
    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.wire().equals(s)) {
          return k;
        }
      }
      return null;
    }
  }

  public Presentation {
    if (kind == null) {
      throw new IllegalArgumentException("kind");
    }
    if (kind.needsTarget() != (target != null)) {
      throw new IllegalArgumentException(kind.wire() + (kind.needsTarget() ? " needs a target" : " takes no target"));
    }
  }
}
