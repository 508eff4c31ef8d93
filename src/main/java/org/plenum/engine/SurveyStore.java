package org.plenum.engine;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.plenum.stage.Survey;
import org.plenum.stage.SurveyResults;

/**
 * The feedback surveys of a stage's talks (issue 12): one per talk, its definition and its
 * responses. Responses follow {@link org.plenum.stage.SurveyTally}'s rules in one atomic step
 * (memory: on the engine's context; Redis: {@code survey_respond.lua}): action id seen →
 * duplicate; survey missing → {@code unknown_survey}; not open → {@code survey_not_open}; else
 * the participant's previous response leaves the counts, the new one enters, the version grows,
 * the action id is remembered. A talk's survey goes with its talk, stage and event, and a reset
 * empties it (back to draft).
 */
public interface SurveyStore {

  /** Stores (creates or replaces) the definition and state of a talk's survey; announces {@link Change.Kind#SURVEY}. */
  Future<Survey> saveSurvey(Survey survey);

  Future<Optional<Survey>> survey(String stageId, String talkId);

  /** The stage's surveys, any state. */
  Future<List<Survey>> surveys(String stageId);

  /** Applies a response (see above); the receipt's version is the survey's after it. */
  Future<VoteReceipt> respond(SurveyAction action);

  /** The survey's aggregated results, open-text answers included (the caller hides them where needed). */
  Future<SurveyResults> surveyResults(Survey survey);
}
