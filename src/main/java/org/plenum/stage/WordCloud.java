package org.plenum.stage;

import java.time.Instant;

/**
 * A word cloud on a stage: a prompt, and up to {@code maxEntries} entries per participant.
 * Follows the same lifecycle and visibility rules as a poll.
 */
public record WordCloud(String id, String stageId, String prompt, int maxEntries, Phase phase,
                        boolean resultsVisible, Instant createdAt, Instant openedAt, Instant closedAt) {
  public static final int MAX_PROMPT = 300;
  public static final int DEFAULT_ENTRIES = 3;
  public static final int MAX_ENTRIES = 10;
  /** How many words a live snapshot carries. */
  public static final int TOP = 100;

  public boolean isOpen() {
    return phase == Phase.OPEN;
  }

  public boolean isPublic() {
    return phase != Phase.DRAFT;
  }

  public WordCloud open(Instant now) {
    return phase == Phase.OPEN ? this : with(Phase.OPEN, now, null, resultsVisible);
  }

  public WordCloud close(Instant now) {
    return phase == Phase.CLOSED ? this : with(Phase.CLOSED, openedAt, now, resultsVisible);
  }

  public WordCloud withResultsVisible(boolean visible) {
    return with(phase, openedAt, closedAt, visible);
  }

  private WordCloud with(Phase next, Instant opened, Instant closed, boolean visible) {
    return new WordCloud(id, stageId, prompt, maxEntries, next, visible, createdAt, opened, closed);
  }
}
