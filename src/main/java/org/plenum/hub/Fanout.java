package org.plenum.hub;

import java.util.function.Supplier;

/**
 * Hands one encoded frame from a read model to the loops that have subscribers of its audience;
 * each loop writes it to its own sessions ({@link StageRoom#deliver}). Used on the model's home.
 */
final class Fanout {

  /**
   * Writes a snapshot of {@code aggregate} to an audience only if {@code version} is newer than
   * what that audience already got, and remembers it; true if it was written.
   */
  boolean writeIfNewer(StageReadModel model, Audience audience, String aggregate, long version,
                       Supplier<SharedFrame> frame) {
    if (version <= model.pushedVersion(audience, aggregate)) {
      return false;
    }
    SharedFrame encoded = frame.get();
    model.pushed(audience, aggregate, version, encoded);
    write(model, audience, encoded, aggregate, version, null, null);
    return true;
  }

  /** A frame without a version of its own (a definition, the stage, presence): every loop writes it as it comes. */
  void write(StageReadModel model, Audience audience, SharedFrame frame, String aggregate) {
    write(model, audience, frame, aggregate, -1, null, null);
  }

  /**
   * Writes to the audience's sessions on every loop: only those of participant {@code only}
   * (null: all), except those of participant {@code except} (null: none).
   */
  void write(StageReadModel model, Audience audience, SharedFrame frame, String aggregate, long version,
             String only, String except) {
    model.toLoops(audience, room -> room.deliver(audience, frame, aggregate, version, only, except));
  }
}
