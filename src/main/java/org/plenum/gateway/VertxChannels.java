package org.plenum.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.websocket.WebSocketImplBase;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;
import io.vertx.core.net.impl.VertxHandler;

/**
 * Plenum's one way below Vert.x's public API, in one class so an upgrade touches one file:
 * <ul>
 *   <li>the Netty channel under a server WebSocket, to write pushes without a flush per frame
 *       ({@link FrameBatch});</li>
 *   <li>Vert.x's own handler in the pipeline, to put {@link FrameGuard} in front of it;</li>
 *   <li>a text frame over bytes that are already UTF-8: the public API builds text frames only
 *       from a String, which would encode the shared payload again for every session.</li>
 * </ul>
 * These classes are Vert.x internals that move between releases (5.1 moved {@code WebSocketImplBase}
 * and {@code WebSocketFrameImpl} from {@code io.vertx.core.http.impl} and {@code ...http.impl.ws}
 * to {@code io.vertx.core.http.impl.websocket}; {@code VertxHandler} stayed); {@code VertxChannelsTest}
 * fails on such a move instead of letting the gateway fall back silently.
 */
final class VertxChannels {
  private VertxChannels() {}

  /** The channel context under {@code ws}, or null if this Vert.x does not expose it. */
  static ChannelHandlerContext channelOf(ServerWebSocket ws) {
    return ws instanceof WebSocketImplBase<?> impl ? impl.channelHandlerContext() : null;
  }

  /** The context of Vert.x's connection handler in {@code pipeline}, or null if it is not there. */
  static ChannelHandlerContext vertxHandlerIn(ChannelPipeline pipeline) {
    return pipeline.context(VertxHandler.class);
  }

  /** A final text frame whose payload is {@code utf8} itself (not copied; the caller owns the buffer). */
  static WebSocketFrame textFrame(ByteBuf utf8) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true);
  }
}
