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

  /**
   * The fast path writes a frame's pre-encoded bytes (header and payload) straight into the
   * channel, past Netty's WebSocket encoder. A real client — one plain, one that negotiated
   * permessage-deflate — must read exactly the texts, for each header size (7-bit, 16-bit and
   * 64-bit lengths), in order; and once written, every write's reference is released again.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "native transport {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void preEncodedFramesReachPlainAndCompressingClientsAndAreReleased(boolean nativeTransport) {
    Vertx vertx = TestVertx.create(2, nativeTransport);
    try {
      assertThat(vertx.isNativeTransportEnabled()).as("the transport asked for (epoll loads on Linux x86-64)")
          .isEqualTo(nativeTransport);
      List<org.plenum.hub.SharedFrame> frames = List.of(
          frame("x".repeat(20)), frame("ü".repeat(150)), frame("y".repeat(70_000)), frame("end"));
      HttpServer server = await(vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setMaxWebSocketFrameSize(1 << 20))
          .webSocketHandler(ws -> {
            FrameBatch batch = new FrameBatch(Vertx.currentContext());
            FrameBatch.Completion done = FrameBatch.completion(() -> { });
            ws.textMessageHandler(go -> frames.forEach(f -> batch.write(ws, f, done)));
          })
          .listen(0, "127.0.0.1"));
      for (boolean compress : new boolean[] {false, true}) {
        WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
            .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20).setTryUsePerMessageCompression(compress));
        List<String> received = new CopyOnWriteArrayList<>();
        Promise<Void> all = Promise.promise();
        WebSocket ws = await(client.connect(server.actualPort(), "127.0.0.1", "/ws"));
        if (compress) {
          assertThat(ws.headers().get("sec-websocket-extensions")).as("compression negotiated").contains("permessage-deflate");
        }
        ws.textMessageHandler(m -> {
          received.add(m);
          if (received.size() == frames.size()) {
            all.tryComplete();
          }
        });
        await(ws.writeTextMessage("go"));
        await(all.future());
        assertThat(received).as(compress ? "compressing client" : "plain client")
            .containsExactlyElementsOf(frames.stream().map(org.plenum.hub.SharedFrame::text).toList());
        await(client.close());
      }
      // the last completions run on the server's loop after the client saw the bytes: wait for them there
      Promise<Void> released = Promise.promise();
      vertx.setPeriodic(10, id -> {
        if (frames.stream().allMatch(f -> f.references() == 1)) {
          vertx.cancelTimer(id);
          released.tryComplete();
        }
      });
      try {
        await(released.future(), 5);
      } catch (RuntimeException | AssertionError timedOut) {
        // fall through to the assertion below, which names the references left
      }
      assertThat(frames.stream().map(org.plenum.hub.SharedFrame::references).toList()).as("references left on each frame").containsOnly(1);
    } finally {
      await(vertx.close());
    }
    TestVertx.assertNoBlockedLoops();
  }

  private static org.plenum.hub.SharedFrame frame(String text) {
    return org.plenum.hub.SharedFrame.of(new io.vertx.core.json.JsonObject().put("type", "test").put("text", text));
  }
}
