package org.plenum.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.net.impl.VertxHandler;

/**
 * The gateway's one way below Vert.x's public API: the Netty channel under a server WebSocket (to
 * write pushes without a flush per frame, {@link FrameBatch}) and Vert.x's own handler in its
 * pipeline (to put {@link FrameGuard} in front of it). Both classes are Vert.x internals that may
 * move in a release; {@code VertxChannelsTest} fails on such an upgrade instead of letting the
 * gateway fall back silently.
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
}
