package org.plenum.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.GenericFutureListener;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.plenum.hub.SharedFrame;

/**
 * Pushes written during one event-loop turn leave with one flush per connection, not one per
 * frame.
 *
 * <p>Why: a viewer gets a poll, a cloud and a reactions push on the same tick, and Vert.x flushes
 * every frame it writes outside a read, one {@code write(2)} each. Profiling the sustained load
 * test put about 40 % of the event loops' CPU in those system calls. Here a push is written
 * into the channel without a flush and the connection is remembered; one task queued behind the
 * turn's other work flushes each remembered connection once.
 *
 * <p>Only when it is safe: on the connection's own event loop, and while the channel is writable
 * (so no frame of Vert.x's own write queue is waiting that this one could overtake). Otherwise the
 * frame goes through Vert.x's normal write. Vert.x's public API cannot write without flushing, so
 * it reaches the channel through {@link VertxChannels}, the gateway's one class below that API.
 * One batch per event loop; touched only from that loop.
 */
final class FrameBatch {
  private final Context context;
  private final Set<ChannelHandlerContext> unflushed = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean flushQueued;

  FrameBatch(Context context) {
    this.context = context;
  }

  /**
   * Writes {@code frame}; {@code written} runs once its bytes are on the socket (or the write
   * failed). On the fast path the channel gets the frame's complete, pre-encoded bytes (a retained
   * duplicate of the one shared buffer, see {@link SharedFrame}): Netty's WebSocket encoder only
   * encodes WebSocketFrame objects and passes a ByteBuf through untouched, so nothing is encoded,
   * allocated or copied for this connection but the duplicate and the write's promise.
   * (A frame written this way skips permessage-deflate, which RFC 7692 allows: its RSV1 bit is clear.)
   */
  void write(ServerWebSocket ws, SharedFrame frame, Completion written) {
    ChannelHandlerContext channel = VertxChannels.channelOf(ws);
    if (channel == null || !channel.executor().inEventLoop() || !channel.channel().isWritable() || ws.writeQueueFull()) {
      ws.writeFrame(VertxChannels.textFrame(frame.payloadCopy())).onComplete(written);
      return;
    }
    channel.write(frame.retainedWire(), channel.newPromise().addListener(written));
    unflushed.add(channel);
    if (!flushQueued) {
      flushQueued = true;
      context.runOnContext(flush);
    }
  }

  /** A session's "write completed" callback, made once for both write paths (no lambda per frame). */
  static Completion completion(Runnable written) {
    return new Completion(written);
  }

  static final class Completion implements GenericFutureListener<io.netty.util.concurrent.Future<? super Void>>,
      Handler<AsyncResult<Void>> {
    private final Runnable written;

    private Completion(Runnable written) {
      this.written = written;
    }

    @Override
    public void operationComplete(io.netty.util.concurrent.Future<? super Void> future) {
      written.run();
    }

    @Override
    public void handle(AsyncResult<Void> result) {
      written.run();
    }
  }

  /** Closes the TCP connection without waiting for the peer (one that reads nothing never answers a close frame). */
  void cut(ServerWebSocket ws) {
    ChannelHandlerContext channel = VertxChannels.channelOf(ws);
    if (channel != null) {
      channel.channel().close();
    }
  }

  private final Handler<Void> flush = v -> flush();

  private void flush() {
    flushQueued = false;
    for (ChannelHandlerContext channel : unflushed) {
      channel.flush();
    }
    unflushed.clear();
  }
}
