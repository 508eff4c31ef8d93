package org.plenum.stage;

import java.time.Instant;
import java.util.List;

/**
 * A conference: the container of stages.
 *
 * @param blockedWords the organiser's own words refused in word clouds, added to the defaults
 */
public record Event(String id, String name, Instant createdAt, List<String> blockedWords) {

  public Event withBlockedWords(List<String> words) {
    return new Event(id, name, createdAt, List.copyOf(words));
  }
}
