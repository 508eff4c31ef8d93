package org.plenum.engine;

import org.plenum.stage.SurveyResponse;

/** A participant's checked response to a talk's survey, under the client's action id. */
public record SurveyAction(String stageId, String talkId, String participantId, String actionId, SurveyResponse response) {}
