package org.plenum.stage;

import java.util.Map;

/**
 * One participant's own quiz result on a stage, for them alone (never pushed to others).
 *
 * @param rank         1-based among everyone who answered (listed or not); 0 if they have not answered
 * @param participants how many have answered
 * @param answers      poll id -> points that answer earned (0: wrong)
 */
public record Standing(String nickname, boolean listed, long points, long correct, long rank, long participants,
                       Map<String, Long> answers) {}
