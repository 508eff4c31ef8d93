package org.plenum.engine;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The memory engine's durability: appends JSON lines to the current generation file of a
 * {@link DataDir}. Appends are group-committed: records that arrive while a write is in flight go
 * out together in the next write, and every Future completes only after its record is on disk
 * (written and, with {@code fsync}, forced to the device).
 *
 * <p>Each record gets a log sequence number (its position in the sequence of all records ever
 * appended since the data directory began): the snapshot stores per aggregate the number of the
 * last record it contains, so replay can skip what a snapshot already holds.
 *
 * <p>A failed write fails its whole batch and every record queued behind it (their changes were
 * applied optimistically in memory; the engine rolls them back), and the file is cut back to the
 * last durable length before anything else is written, so a half-written record never stays in
 * the middle of the file. Used from one context only; file I/O runs on worker threads.
 */
final class Journal {
  /** Test seam: runs on the worker before each fsync (a slow disk), or throws (a failing one). */
  interface Faults {
    void beforeForce(Path file) throws IOException;
  }

  static volatile Faults faults = file -> { };

  private final Vertx vertx;
  private final DataDir dir;
  private final boolean fsync;
  private final Consumer<Throwable> onFailure;
  private FileChannel channel;
  private Path file;
  private int generation;
  /** Bytes of the current generation known to be on disk. */
  private long durableLength;
  private long nextLsn;
  private long recordsInGeneration;
  private long durableLsn;
  private long durableRecordsInGeneration;
  private boolean needsTruncate;
  /** From a failed write until {@link #resume}: appends fail at once. */
  private boolean failed;

  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private Batch open = new Batch();
  private boolean busy;

  /** Records and their waiters, written together. */
  private static final class Batch implements Task {
    final Buffer bytes = Buffer.buffer();
    final List<Promise<Void>> waiting = new ArrayList<>();
    int records;
  }

  private interface Task {}

  private record Rotation(int generation, Promise<Integer> done) implements Task {}

  /**
   * @param onFailure told once per failed write, after the file is cut back (on the owner context)
   */
  Journal(Vertx vertx, DataDir dir, boolean fsync, Consumer<Throwable> onFailure) {
    this.vertx = vertx;
    this.dir = dir;
    this.fsync = fsync;
    this.onFailure = onFailure;
  }

  /** Opens generation {@code gen} for appending after its {@code length} good bytes. */
  Future<Void> open(int gen, long length, long firstFreeLsn, long recordsAlready) {
    return vertx.executeBlocking(() -> {
      Path path = dir.generationFile(gen);
      FileChannel ch = DataDir.openPrivate(path);
      if (ch.size() > length) {
        ch.truncate(length);
        ch.force(true);
      }
      return ch;
    }, false).map(ch -> {
      this.channel = ch;
      this.file = dir.generationFile(gen);
      this.generation = gen;
      this.durableLength = length;
      this.nextLsn = firstFreeLsn;
      this.durableLsn = firstFreeLsn;
      this.recordsInGeneration = recordsAlready;
      this.durableRecordsInGeneration = recordsAlready;
      return null;
    });
  }

  /** The sequence number the next appended record gets. */
  long nextLsn() {
    return nextLsn;
  }

  int generation() {
    return generation;
  }

  long recordsInGeneration() {
    return recordsInGeneration;
  }

  long bytesInGeneration() {
    return durableLength + open.bytes.length();
  }

  /** Fails at once while the journal is failed (between a failed write and a successful probe). */
  Future<Void> append(JsonObject record) {
    if (failed) {
      return Future.failedFuture(new IOException("the journal's last write failed; not writing until a probe succeeds"));
    }
    open.bytes.appendBuffer(record.toBuffer()).appendByte((byte) '\n');
    open.records++;
    nextLsn++;
    recordsInGeneration++;
    Promise<Void> promise = Promise.promise();
    open.waiting.add(promise);
    kick();
    return promise.future();
  }

  /** Takes writes again after a failure, starting with {@code probe}: succeeds once it is on disk. */
  Future<Void> resume(JsonObject probe) {
    failed = false;
    return append(probe);
  }

  /** Completes once everything appended so far is durable (or fails with it). */
  Future<Void> sync() {
    if (failed) {
      return Future.failedFuture(new IOException("the journal's last write failed"));
    }
    Promise<Void> promise = Promise.promise();
    open.waiting.add(promise);
    kick();
    return promise.future();
  }

  /**
   * Records appended after this call go to a new generation file; completes with its number once
   * the switch is made (everything before it went to the old file).
   */
  Future<Integer> rotate() {
    seal();
    Promise<Integer> done = Promise.promise();
    queue.add(new Rotation(generation + 1, done));
    kick();
    return done.future();
  }

  private void seal() {
    if (!open.waiting.isEmpty() || open.records > 0) {
      queue.add(open);
      open = new Batch();
    }
  }

  private void kick() {
    if (busy || channel == null) {
      return;
    }
    if (queue.isEmpty()) {
      seal();
    }
    Task task = queue.poll();
    if (task == null) {
      return;
    }
    busy = true;
    if (task instanceof Rotation rotation) {
      rotateNow(rotation);
    } else {
      write((Batch) task);
    }
  }

  private void write(Batch batch) {
    long position = durableLength;
    boolean truncateFirst = needsTruncate;
    FileChannel ch = channel;
    Path path = file;
    vertx.executeBlocking(() -> {
      if (truncateFirst) {
        ch.truncate(position);
      }
      ByteBuffer bytes = ByteBuffer.wrap(batch.bytes.getBytes());
      long at = position;
      while (bytes.hasRemaining()) {
        at += ch.write(bytes, at);
      }
      faults.beforeForce(path);
      if (fsync || truncateFirst) {
        ch.force(false);
      }
      return at;
    }, false).onComplete(result -> {
      if (result.succeeded()) {
        needsTruncate = false;
        durableLength = result.result();
        durableLsn += batch.records;
        durableRecordsInGeneration += batch.records;
        batch.waiting.forEach(Promise::complete);
        busy = false;
        kick();
      } else {
        failAll(batch, result.cause());
      }
    });
  }

  /**
   * A write failed: nothing queued after it may reach the file before the failed bytes are cut
   * off (that would leave a torn record mid-file), and the engine rolls back all of them, so they
   * all fail, with whatever was appended while the file was being cut.
   */
  private void failAll(Batch batch, Throwable cause) {
    needsTruncate = true;
    failed = true;
    FileChannel ch = channel;
    long length = durableLength;
    vertx.executeBlocking(() -> {
      ch.truncate(length);
      ch.force(true);
      return null;
    }, false).onComplete(cut -> {
      if (cut.succeeded()) {
        needsTruncate = false;
      }
      seal();
      List<Task> dropped = new ArrayList<>(queue);
      queue.clear();
      nextLsn = durableLsn;
      recordsInGeneration = durableRecordsInGeneration;
      busy = false;
      onFailure.accept(cause); // first: whoever learns of the failure finds the engine rolling back
      batch.waiting.forEach(p -> p.fail(cause));
      for (Task t : dropped) {
        if (t instanceof Batch b) {
          b.waiting.forEach(p -> p.fail(cause));
        } else {
          ((Rotation) t).done().fail(cause);
        }
      }
    });
  }

  private void rotateNow(Rotation rotation) {
    Path next = dir.generationFile(rotation.generation());
    vertx.executeBlocking(() -> {
      FileChannel ch = DataDir.openPrivate(next);
      dir.syncDirectory();
      return ch;
    }, false).onComplete(result -> {
      if (result.succeeded()) {
        FileChannel old = channel;
        channel = result.result();
        file = next;
        generation = rotation.generation();
        durableLength = 0;
        needsTruncate = false;
        recordsInGeneration -= durableRecordsInGeneration;
        durableRecordsInGeneration = 0;
        vertx.executeBlocking(() -> {
          old.close();
          return null;
        }, false);
        rotation.done().complete(generation);
      } else {
        rotation.done().fail(result.cause());
      }
      busy = false;
      kick();
    });
  }

  Future<Void> close() {
    if (channel == null) {
      return Future.succeededFuture();
    }
    Future<Void> drained = sync().recover(t -> Future.succeededFuture());
    return drained.compose(v -> {
      FileChannel ch = channel;
      channel = null;
      return vertx.executeBlocking(() -> {
        ch.close();
        return null;
      }, false);
    });
  }
}
