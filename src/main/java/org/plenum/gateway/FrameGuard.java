package org.plenum.gateway;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Answers a broken frame with the close code RFC 6455 names instead of a dropped connection:
 * 1009 for a frame over the hard size limit (even when only its header has arrived) and 1007 for
 * a text frame that is not valid UTF-8.
 *
 * <p>Why here: Vert.x builds its frame decoder with {@code closeOnProtocolViolation(false)} and,
 * on the decoder's exception, closes the channel in the same call, before a close frame could
 * be written; and it decodes text frames leniently (invalid bytes become U+FFFD). This handler
 * sits between the decoder and Vert.x: it checks UTF-8 with Netty's own validator and turns
 * either violation into a close frame, flushed before the channel is closed; everything after
 * a violation is discarded.
 */
final class FrameGuard extends ChannelDuplexHandler {
  /** A peer that does not read the close frame does not hold the socket longer than this. */
  private static final long CLOSE_FLUSH_MS = 2_000;
  private boolean violated;

  /** Puts the UTF-8 check and the guard in front of Vert.x's handler; false if the pipeline is not as expected. */
  static boolean install(ChannelHandlerContext anyContext) {
    ChannelPipeline pipeline = anyContext.pipeline();
    ChannelHandlerContext vertx = VertxChannels.vertxHandlerIn(pipeline);
    if (vertx == null || pipeline.get(FrameGuard.class) != null) {
      return false;
    }
    // after the frame decoder and any decompression, so the check sees the text as sent
    pipeline.addBefore(vertx.name(), "plenum-utf8", new Utf8FrameValidator(false));
    pipeline.addBefore(vertx.name(), "plenum-frame-guard", new FrameGuard());
    return true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (violated) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof CorruptedWebSocketFrameException corrupt)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    if (violated) {
      return;
    }
    violated = true;
    int code = corrupt.closeStatus().code();
    String reason = code == 1009 ? "frame too large" : code == 1007 ? "invalid UTF-8" : corrupt.closeStatus().reasonText();
    ctx.writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
    ctx.executor().schedule(() -> ctx.channel().close(), CLOSE_FLUSH_MS, TimeUnit.MILLISECONDS);
  }
}
