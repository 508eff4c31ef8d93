package org.plenum.stage;

import java.time.Instant;
import java.util.List;

/**
 * A conference: the container of stages.
 *
 * @param blockedWords the organiser's own words refused in word clouds, added to the defaults
 * @param moderatorsMayExport whether the event's moderators may download its exports (issue 8:
 *     "organiser, or an event moderator where the organiser allows it"); false unless the organiser
 *     allows it, and for data stored before the setting existed
 * @param passcode what viewers must give to join a closed event ({@link Passcode}); null = open to
 *     anyone with a link or join code (the default, and for data stored before the setting existed)
 */
public record Event(String id, String name, Instant createdAt, List<String> blockedWords, boolean moderatorsMayExport,
                    String passcode) {

  /** An event without a passcode. */
  public Event(String id, String name, Instant createdAt, List<String> blockedWords, boolean moderatorsMayExport) {
    this(id, name, createdAt, blockedWords, moderatorsMayExport, null);
  }

  /** An event whose moderators may not export (the default). */
  public Event(String id, String name, Instant createdAt, List<String> blockedWords) {
    this(id, name, createdAt, blockedWords, false, null);
  }

  public Event withBlockedWords(List<String> words) {
    return new Event(id, name, createdAt, List.copyOf(words), moderatorsMayExport, passcode);
  }

  public Event withName(String newName) {
    return new Event(id, newName, createdAt, blockedWords, moderatorsMayExport, passcode);
  }

  public Event withModeratorsMayExport(boolean allowed) {
    return new Event(id, name, createdAt, blockedWords, allowed, passcode);
  }

  /** The event with {@code code} as its passcode (already checked by {@link Passcode#check}); null removes it. */
  public Event withPasscode(String code) {
    return new Event(id, name, createdAt, blockedWords, moderatorsMayExport, code);
  }

  /** Whether viewers must give a passcode to join. */
  public boolean closed() {
    return passcode != null;
  }
}
