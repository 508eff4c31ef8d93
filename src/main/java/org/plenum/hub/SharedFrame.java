package org.plenum.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonObject;

/**
 * A push encoded once and written, as the same bytes, to every subscriber: each write wraps a
 * read-only duplicate of one unreleasable buffer in a text frame, so fan-out costs no JSON
 * encoding and no copy per session. (Vert.x's public API only builds text frames from a String,
 * which would UTF-8-encode the payload again for every session; this is the one place that uses
 * its frame implementation class.)
 */
public final class SharedFrame {
  private final String type;
  private final ByteBuf bytes;
  private final int length;

  private SharedFrame(String type, byte[] utf8) {
    this.type = type;
    this.bytes = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(utf8));
    this.length = utf8.length;
  }

  public static SharedFrame of(JsonObject message) {
    return new SharedFrame(message.getString("type"), message.toBuffer().getBytes());
  }

  /** The message type, for metrics. */
  public String type() {
    return type;
  }

  public int length() {
    return length;
  }

  /** The encoded message, as a read-only view of its own (the shared bytes are never released). */
  public ByteBuf bytes() {
    return bytes.duplicate();
  }

  public Future<Void> writeTo(ServerWebSocket ws) {
    return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes.duplicate(), true));
  }
}
