package org.plenum.engine;

/** One participant's word-cloud entry, normalised: the key it groups under and the spelling typed. */
public record WordAction(String stageId, String cloudId, String participantId, String actionId, String key,
                         String spelling, int maxEntries) {}
