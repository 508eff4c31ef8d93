package org.plenum.stage;

import java.time.Instant;

/**
 * One accepted interaction, as the stage's interaction log keeps it (for the pseudonymised JSON Lines
 * export): when, what kind, on what ({@code targetId}: the poll, cloud, post, or null for a reaction),
 * and the detail that is not personal data beyond what the participant chose to send: a vote's encoded
 * ballot ({@code "a,c"} or the rating), a word's spelling, a post's kind, an upvote's {@code up} or
 * {@code down}, a reaction's emoji. A post's text is not kept here (the author may delete it; the export
 * looks it up). {@code participantId} is the pseudonymous participant id, never shown as it is.
 */
public record Interaction(Instant at, ActivityKind kind, String targetId, String detail, String participantId) {}
