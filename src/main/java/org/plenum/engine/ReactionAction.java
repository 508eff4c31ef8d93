package org.plenum.engine;

/** One reaction, counted in the minute that starts at {@code minuteEpochSecond}. */
public record ReactionAction(String stageId, String participantId, String actionId, String emoji, long minuteEpochSecond) {}
