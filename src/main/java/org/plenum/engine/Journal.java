package org.plenum.engine;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The memory engine's durability: an append-only file of JSON lines, one per change, replayed at
 * start. Appends are group-committed: records that arrive while a write is in flight go out
 * together in the next write, and every Future completes only after its record is on disk
 * (written and, with {@code fsync}, forced to the device). Used from one context only.
 */
final class Journal {
  private static final Logger LOG = Logger.getLogger(Journal.class.getName());

  private final Vertx vertx;
  private final String path;
  private final boolean fsync;
  private AsyncFile file;
  private Buffer pending = Buffer.buffer();
  private List<Promise<Void>> waiting = new ArrayList<>();
  private boolean writing;
  private long records;

  Journal(Vertx vertx, String path, boolean fsync) {
    this.vertx = vertx;
    this.path = path;
    this.fsync = fsync;
  }

  /** Reads every complete record, drops a torn last line (a crash mid-write), opens for appending. */
  Future<List<JsonObject>> open() {
    String dir = new java.io.File(path).getAbsoluteFile().getParent();
    return vertx.fileSystem().mkdirs(dir)
        .compose(v -> vertx.fileSystem().exists(path))
        .compose(exists -> exists ? vertx.fileSystem().readFile(path) : Future.succeededFuture(Buffer.buffer()))
        .compose(this::parseAndRepair)
        .compose(recordsRead -> vertx.fileSystem().open(path, new OpenOptions().setAppend(true).setCreate(true).setWrite(true))
            .map(f -> {
              this.file = f;
              this.records = recordsRead.size();
              return recordsRead;
            }));
  }

  long recordCount() {
    return records;
  }

  /**
   * Parses on a worker thread: a congress leaves a journal of 100,000 records and more, and
   * parsing it must not hold an event loop. Then cuts a torn tail off the file.
   */
  private Future<List<JsonObject>> parseAndRepair(Buffer content) {
    return vertx.executeBlocking(() -> parse(content.getBytes()), false)
        .compose(parsed -> parsed.goodLength < content.length()
            ? vertx.fileSystem().truncate(path, parsed.goodLength).map(parsed.records)
            : Future.succeededFuture(parsed.records));
  }

  private record Parsed(List<JsonObject> records, long goodLength) {}

  /**
   * Reads the journal's lines in one pass over its bytes. A line that does not end in a newline,
   * or an unreadable last line, is what a crash mid-append leaves: dropped. An unreadable line
   * before the last means the file is damaged: refuse, rather than start without data.
   */
  private Parsed parse(byte[] bytes) {
    List<JsonObject> out = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      lineNo++;
      if (end < 0) {
        LOG.warning("journal " + path + ": dropping an incomplete last record (line " + lineNo + "), left by an interrupted write");
        break;
      }
      String line = new String(bytes, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
      if (!line.isBlank()) {
        try {
          out.add(new JsonObject(line));
        } catch (DecodeException e) {
          if (end != bytes.length - 1) {
            throw new IllegalStateException(
                "journal " + path + " is corrupt at line " + lineNo + "; refusing to start rather than lose data");
          }
          LOG.warning("journal " + path + ": dropping an unreadable last record (line " + lineNo + ")");
          break;
        }
      }
      start = end + 1;
    }
    return new Parsed(out, start);
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  Future<Void> append(JsonObject record) {
    pending.appendBuffer(record.toBuffer()).appendByte((byte) '\n');
    Promise<Void> promise = Promise.promise();
    waiting.add(promise);
    records++;
    if (!writing) {
      writeBatch();
    }
    return promise.future();
  }

  private void writeBatch() {
    if (waiting.isEmpty()) {
      return;
    }
    writing = true;
    Buffer batch = pending;
    List<Promise<Void>> batchWaiting = waiting;
    pending = Buffer.buffer();
    waiting = new ArrayList<>();
    file.write(batch)
        .compose(v -> fsync ? file.flush() : Future.succeededFuture())
        .onComplete(result -> {
          for (Promise<Void> p : batchWaiting) {
            p.handle(result);
          }
          writing = false;
          writeBatch();
        });
  }

  Future<Void> close() {
    if (file == null) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    if (!writing && waiting.isEmpty()) {
      drained.complete();
    } else {
      waiting.add(drained);
      if (!writing) {
        writeBatch();
      }
    }
    return drained.future().eventually(() -> file.close());
  }
}
