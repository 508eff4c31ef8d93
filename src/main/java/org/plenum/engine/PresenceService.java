package org.plenum.engine;

import io.vertx.core.Future;
import org.plenum.stage.Presence;

/**
 * How many sessions of each role a stage has, over the whole deployment. Not journalled, not
 * deduplicated: each report replaces the reporter's previous one, so repeating it is harmless.
 */
public interface PresenceService {

  /**
   * Records how many sessions of each role one reporter (a node) has on a stage, replacing its
   * previous report. Reports expire after {@code ttlMillis} unless refreshed, so a crashed node's
   * sessions vanish. Announces a {@link Change.Kind#PRESENCE} change on the local bus only (other
   * nodes re-read the sum when they need it).
   */
  Future<Void> reportPresence(String reporterId, String stageId, Presence presence, long ttlMillis);

  /** The sum over all live reporters. */
  Future<Presence> presence(String stageId);
}
