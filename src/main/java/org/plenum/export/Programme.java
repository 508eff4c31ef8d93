package org.plenum.export;

import java.time.Instant;
import java.util.List;
import org.plenum.stage.Talk;

/** A stage's talks, to name the talk that was running at a moment (per-talk attribution). */
record Programme(List<Talk> talks) {

  /**
   * The talk running at {@code at} (start inclusive, end exclusive); of overlapping talks the one
   * that started last, as it is the one on stage. Null between talks or for a null instant.
   */
  Talk at(Instant at) {
    if (at == null) {
      return null;
    }
    Talk running = null;
    for (Talk t : talks) {
      if (!t.startsAt().isAfter(at) && t.endsAt().isAfter(at)) {
        running = t;
      }
    }
    return running;
  }
}
