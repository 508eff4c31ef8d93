package org.plenum.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.lang.ref.Cleaner;

/**
 * A push encoded once — JSON, and around it the WebSocket frame header — and written, as the
 * same bytes, to every subscriber.
 *
 * <p>Why the whole frame: a server frame is never masked (RFC 6455 §5.1), so its header and
 * payload are the same bytes for every connection. Built once per tick into one direct buffer,
 * a delivery is a retained duplicate of it handed to the channel: no per-subscriber JSON, string,
 * header or copy (a heap buffer would be copied into a direct one by every socket write). How the
 * bytes reach a connection is the gateway's business ({@code gateway.FrameBatch}).
 *
 * <p>Memory: the buffer comes from Netty's pooled allocator and is reference-counted. Every write
 * holds its own reference ({@link #retainedWire()}) that the channel releases once the bytes are
 * on the socket; this object's own reference is released when it becomes unreachable (a
 * {@link Cleaner}), so a frame still kept by a read model for late joiners stays valid, and one
 * nobody holds any more goes back to the pool.
 */
public final class SharedFrame {
  private static final Cleaner CLEANER = Cleaner.create();
  /** FIN and the text opcode: a whole message in one frame (RFC 6455 §5.2). */
  private static final int FIN_TEXT = 0x81;

  private final String type;
  private final ByteBuf wire;
  private final int headerLength;
  private final int length;

  private SharedFrame(String type, byte[] utf8) {
    this.type = type;
    this.length = utf8.length;
    this.headerLength = headerLength(utf8.length);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(headerLength + utf8.length);
    writeHeader(buf, utf8.length);
    buf.writeBytes(utf8);
    this.wire = buf;
    CLEANER.register(this, new Release(buf));
  }

  public static SharedFrame of(JsonObject message) {
    return new SharedFrame(message.getString("type"), message.toBuffer().getBytes());
  }

  /** The message type, for metrics. */
  public String type() {
    return type;
  }

  /** The payload's length in bytes (what a client's budget counts). */
  public int length() {
    return length;
  }

  /**
   * The complete WebSocket frame, header and payload, as a reference of its own: the caller
   * (the channel it is written to) releases it. Read-only use only: the bytes are shared.
   */
  public ByteBuf retainedWire() {
    return wire.retainedDuplicate();
  }

  /**
   * A heap copy of the payload alone, for Vert.x's own frame writer (the slow path, when a
   * connection is backed up). A copy because Vert.x wraps a frame's buffer as unreleasable, so a
   * retained reference handed to it would never be released.
   */
  public ByteBuf payloadCopy() {
    return Unpooled.copiedBuffer(wire.slice(headerLength, length));
  }

  /** A copy of the payload, for tests and logs. */
  public String text() {
    return wire.toString(headerLength, length, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** References held on the shared buffer: 1 (this frame's own) plus one per write on its way. For tests. */
  public int references() {
    return wire.refCnt();
  }

  static int headerLength(int payload) {
    return payload < 126 ? 2 : payload <= 0xFFFF ? 4 : 10;
  }

  /** A server frame's header: FIN + text, then the 7-bit, 16-bit or 64-bit length, no mask (RFC 6455 §5.2). */
  private static void writeHeader(ByteBuf buf, int payload) {
    buf.writeByte(FIN_TEXT);
    if (payload < 126) {
      buf.writeByte(payload);
    } else if (payload <= 0xFFFF) {
      buf.writeByte(126);
      buf.writeShort(payload);
    } else {
      buf.writeByte(127);
      buf.writeLong(payload);
    }
  }

  /** Drops this frame's own reference; holds no reference to the frame itself (or it would never become unreachable). */
  private record Release(ByteBuf buf) implements Runnable {
    @Override
    public void run() {
      buf.release();
    }
  }
}
