package org.plenum.api;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.plenum.gateway.PasscodeAttempts;
import org.plenum.stage.Event;

/**
 * The REST side of a closed event's passcode (issue 12): an audience request (no token, or a
 * moderator token of another event) that would show anything of a closed event — the event with
 * its stages, a stage by id or join code, anything under {@code /stages/{id}/} — must carry the
 * passcode in the {@code X-Plenum-Passcode} header, or is refused {@code passcode_required} /
 * {@code wrong_passcode} (403) with nothing of the event in the answer. Wrong attempts count
 * against the same per-address limit as WebSocket joins ({@link PasscodeAttempts}). The organiser
 * and the event's own moderators are exempt. A header, never a query parameter: query strings end
 * up in access logs.
 */
final class ClosedEvents {
  static final String HEADER = "X-Plenum-Passcode";

  private final Catalog catalog;
  private final PasscodeAttempts attempts;

  ClosedEvents(Catalog catalog, PasscodeAttempts attempts) {
    this.catalog = catalog;
    this.attempts = attempts;
  }

  /** Succeeds if the caller may see event {@code eventId}; {@code staffEventId} is the caller's moderator event, if any. */
  Future<Void> admit(RoutingContext ctx, String eventId, boolean organiser, String staffEventId) {
    if (organiser || eventId.equals(staffEventId)) {
      return Future.succeededFuture();
    }
    return catalog.event(eventId).compose(event -> admit(ctx, event));
  }

  /** The same, for an event already read (an audience caller). */
  Future<Void> admit(RoutingContext ctx, Event event) {
    if (!event.closed()) {
      return Future.succeededFuture();
    }
    try {
      attempts.admit(event, ctx.request().getHeader(HEADER),
          attempts.addressOf(ctx.request().remoteAddress(), ctx.request().headers()), System.nanoTime());
      return Future.succeededFuture();
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
  }

  /** Succeeds if the caller may see the stage {@code stageId}'s event (an unknown stage fails unknown_stage). */
  Future<Void> admitStage(RoutingContext ctx, String stageId, boolean organiser, String staffEventId) {
    return catalog.stage(stageId).compose(s -> admit(ctx, s.eventId(), organiser, staffEventId));
  }
}
