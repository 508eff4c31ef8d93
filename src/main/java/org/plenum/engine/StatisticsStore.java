package org.plenum.engine;

import io.vertx.core.Future;
import java.util.List;
import org.plenum.stage.ActivityMinute;
import org.plenum.stage.Interaction;
import org.plenum.stage.PresenceSample;

/**
 * What the organisers' statistics are made of, per stage: presence samples (one per sampling interval,
 * deployment-wide), per-minute activity counters, the distinct participants and a bounded log of
 * accepted interactions. The counters, the participants and the log are written by the other stores in
 * the same atomic step that accepts an action (the vote script, the memory engine's step), so a retried
 * action id, which is not applied again, is not counted again either.
 *
 * <p>Bounds per stage: at most {@link #MAX_SAMPLES} samples, {@link #MAX_MINUTES} minutes of activity
 * (one entry per minute with interactions) and {@link #MAX_LOG} log entries; the oldest go first. The distinct participants are exact in
 * the memory engine (a set) and a HyperLogLog in Redis (standard error 0.81 %, exact for small counts).
 */
public interface StatisticsStore {
  /** 30 days of samples at the default interval of 10 s. */
  int MAX_SAMPLES = 30 * 8_640;
  /** Minutes of activity kept per stage (30 days of minutes with interactions; the oldest go first). */
  int MAX_MINUTES = 30 * 1_440;
  /** Interactions kept per stage for the raw log; far above a two-day stage's. */
  int MAX_LOG = 250_000;

  /**
   * Records the sample of an interval unless one is recorded for it already (the first writer wins:
   * several nodes sampling the same interval leave exactly one sample). {@code sample.at()} is the
   * interval's start. Not announced.
   */
  Future<Void> recordSample(String stageId, PresenceSample sample);

  /** The stage's samples in time order. */
  Future<List<PresenceSample>> samples(String stageId);

  /** The stage's per-minute activity in time order, minutes without interactions left out. */
  Future<List<ActivityMinute>> activity(String stageId);

  /** How many distinct participants interacted on the stage (voted, entered, posted, upvoted or reacted). */
  Future<Long> distinctParticipants(String stageId);

  /** How many distinct participants interacted on any of these stages (a participant on two counts once). */
  Future<Long> distinctParticipants(List<String> stageIds);

  /**
   * A page of the stage's interaction log, in the order the interactions were accepted: {@code limit}
   * entries from position {@code offset} (0 is the oldest kept; only the newest {@link #MAX_LOG} are).
   * Fewer than {@code limit} means the end.
   */
  Future<List<Interaction>> interactions(String stageId, long offset, int limit);
}
