package org.plenum.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/**
 * One entry of a stage's programme: a talk or panel with its times.
 *
 * @param speakers free text naming the speakers, or null
 */
public record Talk(String id, String stageId, String title, String speakers, Instant startsAt, Instant endsAt,
    Instant createdAt) {
  public static final int MAX_TITLE = 200;
  public static final int MAX_SPEAKERS = 300;
  public static final Duration MAX_DURATION = Duration.ofHours(24);

  /** Programme order: by start, then title, then id (so the order is total). */
  public static final Comparator<Talk> ORDER = Comparator.comparing(Talk::startsAt)
      .thenComparing(Talk::title).thenComparing(Talk::id);
}
