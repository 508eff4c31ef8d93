package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.plenum.testing.TestVertx;

/**
 * The gateway's hold on Vert.x internals ({@link VertxChannels}) still works with the Vert.x on
 * the class path: a real server WebSocket exposes its channel, Vert.x's handler is in the pipeline,
 * and the frame guard goes in front of it. If an upgrade moves these classes, this fails here
 * instead of the gateway silently flushing every frame and dropping the 1007/1009 close frames.
 */
class VertxChannelsTest {

  @Test
  void aServerWebSocketExposesItsChannelAndTheGuardGoesInFrontOfVertx() {
    Vertx vertx = TestVertx.create();
    try {
      Promise<ChannelHandlerContext> seen = Promise.promise();
      Promise<Boolean> installed = Promise.promise();
      HttpServer server = await(vertx.createHttpServer()
          .webSocketHandler(ws -> {
            ChannelHandlerContext channel = VertxChannels.channelOf(ws);
            seen.complete(channel);
            installed.complete(channel != null && FrameGuard.install(channel));
          })
          .listen(0, "127.0.0.1"));
      WebSocketClient client = vertx.createWebSocketClient();
      await(client.connect(server.actualPort(), "127.0.0.1", "/ws"));
      ChannelHandlerContext channel = await(seen.future());
      assertThat(channel).as("the channel under a ServerWebSocket").isNotNull();
      assertThat(await(installed.future())).as("FrameGuard installed in front of Vert.x's handler").isTrue();
      assertThat(VertxChannels.vertxHandlerIn(channel.pipeline())).isNotNull();
      assertThat(channel.pipeline().get(FrameGuard.class)).isNotNull();
      await(client.close());
    } finally {
      await(vertx.close());
    }
    TestVertx.assertNoBlockedLoops();
  }

  @Test
  void aTextFrameOverSharedUtf8BytesArrivesAsThatText() {
    Vertx vertx = TestVertx.create();
    try {
      String text = "{\"type\":\"results\",\"label\":\"Straße ✓\"}";
      ByteBuf shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
      HttpServer server = await(vertx.createHttpServer()
          // written once the client says it listens: frames arriving before its handler is set are dropped
          .webSocketHandler(ws -> ws.textMessageHandler(go -> {
            ws.writeFrame(VertxChannels.textFrame(shared.duplicate()));
            ws.writeFrame(VertxChannels.textFrame(shared.duplicate()));
          }))
          .listen(0, "127.0.0.1"));
      WebSocketClient client = vertx.createWebSocketClient();
      List<String> received = new CopyOnWriteArrayList<>();
      Promise<Void> both = Promise.promise();
      WebSocket ws = await(client.connect(server.actualPort(), "127.0.0.1", "/ws"));
      ws.textMessageHandler(m -> {
        received.add(m);
        if (received.size() == 2) {
          both.tryComplete();
        }
      });
      await(ws.writeTextMessage("go"));
      await(both.future());
      assertThat(received).containsExactly(text, text);
      assertThat(shared.readableBytes()).as("the shared bytes are untouched by the writes")
          .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
      await(client.close());
    } finally {
      await(vertx.close());
    }
    TestVertx.assertNoBlockedLoops();
  }
}
