package org.plenum.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.Context;
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

  /** Writes {@code frame}; {@code written} runs once its bytes are on the socket (or the write failed). */
  void write(ServerWebSocket ws, SharedFrame frame, Runnable written) {
    ChannelHandlerContext channel = VertxChannels.channelOf(ws);
    if (channel == null || !channel.executor().inEventLoop() || !channel.channel().isWritable() || ws.writeQueueFull()) {
      ws.writeFrame(VertxChannels.textFrame(frame.bytes())).onComplete(ar -> written.run());
      return;
    }
    ChannelPromise promise = channel.newPromise();
    promise.addListener(f -> written.run());
    channel.write(new TextWebSocketFrame(true, 0, frame.bytes()), promise);
    unflushed.add(channel);
    if (!flushQueued) {
      flushQueued = true;
      context.runOnContext(v -> flush());
    }
  }

  /** Closes the TCP connection without waiting for the peer (one that reads nothing never answers a close frame). */
  void cut(ServerWebSocket ws) {
    ChannelHandlerContext channel = VertxChannels.channelOf(ws);
    if (channel != null) {
      channel.channel().close();
    }
  }

  private void flush() {
    flushQueued = false;
    for (ChannelHandlerContext channel : unflushed) {
      channel.flush();
    }
    unflushed.clear();
  }
}
