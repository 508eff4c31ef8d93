package org.plenum.stage;

import java.time.Instant;

/** A virtual stage of an event: where viewers join (by id or by its short join code). */
public record Stage(String id, String eventId, String name, String code, Instant createdAt, StageSettings settings) {

  public Stage withSettings(StageSettings next) {
    return new Stage(id, eventId, name, code, createdAt, next);
  }
}
