package org.plenum.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.plenum.export.ExportFormat;
import org.plenum.export.ExportScope;
import org.plenum.export.ExportTable;
import org.plenum.export.Exporter;
import org.plenum.export.InteractionLogExporter;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.stage.Times;

/**
 * {@code GET /api/v1/events/{eventId}/export}, {@code GET /api/v1/stages/{stageId}/export} and
 * {@code GET /api/v1/stages/{stageId}/talks/{talkId}/export} (the organiser, or the event's moderator where
 * the event allows it; ApiRoutes' exporter check runs before): reads and checks the query, then hands the response to the {@link Exporter} (tables) or the
 * {@link InteractionLogExporter} ({@code format=jsonl}). Every bad parameter is refused before a byte
 * is written.
 */
final class ExportRoutes {
  private final Catalog catalog;
  private final Exporter exporter;
  private final InteractionLogExporter logExporter;

  ExportRoutes(Vertx vertx, Catalog catalog) {
    this.catalog = catalog;
    this.exporter = new Exporter(vertx, catalog.engine());
    this.logExporter = new InteractionLogExporter(vertx, catalog.engine());
  }

  /** The query of an export request, checked. */
  private record Query(ExportFormat format, List<ExportTable> tables, char separator) {}

  void event(RoutingContext ctx) {
    Query q = query(ctx);
    String eventId = ctx.pathParam("eventId");
    stream(ctx, q, "plenum-" + eventId, catalog.event(eventId)
        .compose(e -> catalog.engine().stages(e.id())
            .compose(stages -> ExportScope.of(catalog.engine(), e, stages, null, Times.now()))));
  }

  void stage(RoutingContext ctx) {
    Query q = query(ctx);
    String stageId = ctx.pathParam("stageId");
    stream(ctx, q, "plenum-" + stageId, catalog.stage(stageId)
        .compose(s -> catalog.event(s.eventId())
            .compose(e -> ExportScope.of(catalog.engine(), e, List.of(s), s.id(), Times.now()))));
  }

  /** One talk of a stage: the stage's export narrowed to the rows attributed to the talk. */
  void talk(RoutingContext ctx) {
    Query q = query(ctx);
    String stageId = ctx.pathParam("stageId");
    String talkId = ctx.pathParam("talkId");
    stream(ctx, q, "plenum-" + stageId + "-" + talkId, catalog.stage(stageId)
        .compose(s -> catalog.talk(s.id(), talkId)
            .compose(t -> catalog.event(s.eventId())
                .compose(e -> ExportScope.of(catalog.engine(), e, List.of(s), s.id(), Times.now()))
                .map(scope -> scope.ofTalk(t)))));
  }

  private void stream(RoutingContext ctx, Query q, String baseName, Future<ExportScope> scope) {
    if (q.format() == ExportFormat.JSONL) {
      scope.compose(s -> logExporter.export(s, baseName + "-log", ctx.response()))
          .onFailure(err -> ApiRoutes.fail(ctx, err));
      return;
    }
    String name = q.tables().size() == 1 ? baseName + "-" + q.tables().get(0).wire() : baseName;
    scope.compose(s -> exporter.export(s, q.format(), q.tables(), q.separator(), name, ctx.response()))
        .onFailure(err -> ApiRoutes.fail(ctx, err));
  }

  private static Query query(RoutingContext ctx) {
    String rawFormat = single(ctx, "format");
    ExportFormat format = rawFormat == null ? ExportFormat.JSON : ExportFormat.parse(rawFormat);
    String rawKind = single(ctx, "kind");
    List<ExportTable> tables;
    if (format == ExportFormat.JSONL) {
      if (rawKind != null || single(ctx, "separator") != null) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "kind, separator: not for format=jsonl (the interaction log)");
      }
      return new Query(format, List.of(), ',');
    }
    if (rawKind == null) {
      if (format == ExportFormat.CSV) {
        throw new PlenumException(ErrorCode.MISSING_FIELD,
            "kind: a CSV file holds one table; ask for kind=polls, words, posts, reactions, timeline, presence, activity"
                + " or summary");
      }
      tables = ExportTable.ALL;
    } else {
      tables = List.of(ExportTable.parse(rawKind));
    }
    String rawSeparator = single(ctx, "separator");
    char separator;
    if (rawSeparator == null || rawSeparator.equals("comma")) {
      separator = ',';
    } else if (rawSeparator.equals("semicolon")) {
      separator = ';';
    } else {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "separator: must be comma or semicolon");
    }
    if (rawSeparator != null && format != ExportFormat.CSV) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "separator: only for format=csv");
    }
    return new Query(format, tables, separator);
  }

  private static String single(RoutingContext ctx, String name) {
    List<String> all = ctx.queryParam(name);
    if (all.size() > 1) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, name + ": give it once");
    }
    return all.isEmpty() ? null : all.get(0);
  }
}
