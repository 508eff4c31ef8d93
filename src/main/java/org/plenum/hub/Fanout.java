package org.plenum.hub;

import java.util.Set;
import org.plenum.metrics.PlenumMetrics;

/** Writes one encoded frame to a set of sessions and counts it. */
final class Fanout {
  private final PlenumMetrics metrics;

  Fanout(PlenumMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * Writes a snapshot of {@code aggregate} to an audience only if {@code version} is newer than
   * what that audience already got, and remembers it; true if it was written.
   */
  boolean writeIfNewer(StageRoom room, Audience audience, String aggregate, long version,
                       java.util.function.Supplier<SharedFrame> frame) {
    if (version <= room.pushedVersion(audience, aggregate)) {
      return false;
    }
    SharedFrame encoded = frame.get();
    room.pushed(audience, aggregate, version, encoded);
    write(room, audience, encoded, aggregate);
    return true;
  }

  void write(StageRoom room, Audience audience, SharedFrame frame, String aggregate) {
    write(room.subscribers.get(audience), frame, aggregate, null);
  }

  /** Writes to every session in {@code targets} except those in {@code except} (may be null). */
  void write(Set<Subscriber> targets, SharedFrame frame, String aggregate, Set<Subscriber> except) {
    if (targets == null || targets.isEmpty()) {
      return;
    }
    int written = 0;
    for (Subscriber s : targets) {
      if (except == null || !except.contains(s)) {
        s.push(frame, aggregate);
        written++;
      }
    }
    if (written > 0) {
      metrics.messageOut(frame.type(), written);
      metrics.fanout(written);
    }
  }
}
