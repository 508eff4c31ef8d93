package org.plenum.engine;

import org.plenum.stage.Ballot;

/** One participant's vote in one poll, under a client action id. */
public record VoteAction(String stageId, String pollId, String participantId, String actionId, Ballot ballot) {}
