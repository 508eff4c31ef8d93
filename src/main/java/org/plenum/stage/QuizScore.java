package org.plenum.stage;

/** One participant's quiz total on a stage, as exports list it. */
public record QuizScore(long rank, String participantId, String nickname, boolean listed, long points, long correct) {}
