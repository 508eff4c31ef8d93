package org.plenum.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;

/**
 * A push encoded once and written, as the same bytes, to every subscriber: each write wraps a
 * read-only duplicate of one unreleasable buffer in a text frame, so fan-out costs no JSON
 * encoding and no copy per session. (How the bytes become a frame on a connection is the
 * gateway's business.)
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
}
