package org.plenum.export;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.plenum.engine.Engine;
import org.plenum.stage.Stage;

/**
 * Streams one export to an HTTP response: for each table, for each stage, the rows are read
 * through the engine on the event loop and written by the format's writer on a worker thread
 * (the writers block; a pool of {@link #WRITERS} threads of their own), then the next batch is read. Bytes reach the client as they are written
 * ({@link ResponseOutputStream}, chunked, with back-pressure); the whole file is never in memory.
 *
 * <p>Failures before the first byte left are the caller's to answer (the returned Future fails
 * and the response is untouched but for its headers); after that, the response can only be reset,
 * so that the client sees a broken download rather than a short file that looks whole.
 */
public final class Exporter {
  private static final Logger LOG = Logger.getLogger(Exporter.class.getName());

  /**
   * Exports write on their own small pool, not Vert.x's default worker pool: a slow client holds
   * its export's thread while it waits for the drain, and must not starve other blocking work.
   * More exports than threads at a time wait their turn.
   */
  static final int WRITERS = 4;

  private final Vertx vertx;
  private final Engine engine;
  private final WorkerExecutor writers;

  public Exporter(Vertx vertx, Engine engine) {
    this.vertx = vertx;
    this.engine = engine;
    // shared by name: every router of the server uses the same pool; waiting for a drain is not
    // a stuck thread, so the checker only warns well beyond the stall limit
    this.writers = vertx.createSharedWorkerExecutor("plenum-export", WRITERS,
        ResponseOutputStream.STALL_SECONDS + 30, TimeUnit.SECONDS);
  }

  /**
   * Writes the export; called on the response's event loop. Succeeds when the response has ended.
   *
   * @param separator the CSV field separator ({@code ,} or {@code ;})
   */
  public Future<Void> export(ExportScope scope, ExportFormat format, List<ExportTable> tables, char separator,
                             String fileName, HttpServerResponse response) {
    Context context = vertx.getOrCreateContext();
    response.setChunked(true).setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Content-Disposition", "attachment; filename=\"" + fileName + "." + format.extension() + "\"");
    ResponseOutputStream out = new ResponseOutputStream(context, response);
    ExportRows rows = new ExportRows(engine, scope);
    Future<TableWriter> opened = blocking(() -> format.open(out, scope, separator));
    return opened.compose(writer -> {
      Future<Void> done = Future.succeededFuture();
      for (ExportTable table : tables) {
        done = done.compose(v -> blocking(() -> {
          writer.startTable(table);
          return null;
        }));
        for (Stage stage : scope.stages()) {
          done = done.compose(v -> rows.rows(table, stage)).compose(batch -> write(writer, batch));
        }
        done = done.compose(v -> rows.closingRows(table)).compose(batch -> write(writer, batch));
        done = done.compose(v -> blocking(() -> {
          writer.endTable();
          return null;
        }));
      }
      return done.compose(v -> blocking(() -> {
        writer.finish();
        out.flush();
        return null;
      }));
    }).compose(v -> response.end()).recover(err -> {
      if (response.headWritten()) {
        if (err instanceof java.io.IOException) {
          LOG.warning("export broken off after " + out.written() + " bytes: " + err.getMessage());
        } else {
          LOG.log(Level.WARNING, "export broken off after " + out.written() + " bytes", err);
        }
        response.reset();
        return Future.succeededFuture();
      }
      response.headers().remove("Content-Disposition");
      return Future.failedFuture(err);
    });
  }

  private Future<Void> write(TableWriter writer, List<Object[]> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return blocking(() -> {
      int n = 0;
      for (Object[] row : batch) {
        writer.row(row);
        if (++n % 1000 == 0) {
          writer.flushRows();
        }
      }
      writer.flushRows();
      return null;
    });
  }

  /** Runs a writer step on a worker, in order with the export's other steps (they are composed one after another). */
  private <T> Future<T> blocking(Callable<T> step) {
    return writers.executeBlocking(step, false);
  }
}
