package org.plenum.export;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bridge from the blocking writers (on a worker thread) to the HTTP response (on its event
 * loop): bytes are gathered into chunks of {@link #CHUNK}; each chunk is written to the response
 * on the response's own context, and while the response's write queue is full the worker waits
 * for its drain. So at most one chunk waits beyond the response's queue, however slow the client,
 * and the event loop never waits on anything.
 */
final class ResponseOutputStream extends OutputStream {
  static final int CHUNK = 64 * 1024;
  /** A client that takes no byte for this long is given up on (it holds a worker thread meanwhile). */
  static final long STALL_SECONDS = 120;

  private final Context context;
  private final HttpServerResponse response;
  private final byte[] buffer = new byte[CHUNK];
  private int length;
  private long written;
  private volatile CompletableFuture<Void> pending;
  private volatile boolean gone;

  /** Created on the response's context. */
  ResponseOutputStream(Context context, HttpServerResponse response) {
    this.context = context;
    this.response = response;
    response.closeHandler(v -> {
      gone = true;
      CompletableFuture<Void> waiting = pending;
      if (waiting != null) {
        waiting.completeExceptionally(new IOException("the client closed the connection"));
      }
    });
  }

  /** Bytes handed to the response so far. */
  long written() {
    return written;
  }

  @Override
  public void write(int b) throws IOException {
    if (length == CHUNK) {
      send();
    }
    buffer[length++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (length == CHUNK) {
        send();
      }
      int n = Math.min(len, CHUNK - length);
      System.arraycopy(b, off, buffer, length, n);
      length += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() throws IOException {
    if (length > 0) {
      send();
    }
  }

  private void send() throws IOException {
    if (gone) {
      throw new IOException("the client closed the connection");
    }
    Buffer chunk = Buffer.buffer(Arrays.copyOf(buffer, length));
    written += length;
    length = 0;
    CompletableFuture<Void> ready = new CompletableFuture<>();
    pending = ready;
    context.runOnContext(v -> {
      if (gone) {
        ready.completeExceptionally(new IOException("the client closed the connection"));
        return;
      }
      response.write(chunk);
      if (response.writeQueueFull()) {
        response.drainHandler(d -> ready.complete(null));
      } else {
        ready.complete(null);
      }
    });
    try {
      ready.get(STALL_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the client took nothing for " + STALL_SECONDS + " s");
    } finally {
      pending = null;
    }
  }
}
