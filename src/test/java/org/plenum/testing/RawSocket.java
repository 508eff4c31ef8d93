package org.plenum.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A plain TCP socket that speaks just enough HTTP and WebSocket framing to misbehave on purpose:
 * half-sent request heads, invalid UTF-8, oversized frame headers, never answering pings, never
 * reading. Blocking I/O, for the JUnit thread only (never an event loop).
 */
public final class RawSocket implements AutoCloseable {
  /** What {@link #readUntilClosed} saw: the close frame's code, or -1 when the TCP connection ended without one. */
  public static final int NO_CLOSE_FRAME = -1;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final SecureRandom random = new SecureRandom();

  private RawSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static RawSocket open(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(20_000);
    return new RawSocket(s);
  }

  /** Opens a socket and upgrades it to a WebSocket on /ws; returns the HTTP status of the answer. */
  public static RawSocket webSocket(int port) throws IOException {
    RawSocket raw = open(port);
    int status = raw.upgrade(null);
    if (status != 101) {
      raw.close();
      throw new IOException("upgrade answered " + status);
    }
    return raw;
  }

  /** Sends a WebSocket upgrade request for /ws (with {@code origin} unless null) and reads the answer's status. */
  public int upgrade(String origin) throws IOException {
    byte[] key = new byte[16];
    random.nextBytes(key);
    String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + socket.getPort() + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(key) + "\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
    writeRaw(request.getBytes(StandardCharsets.US_ASCII));
    String head = readHead();
    return Integer.parseInt(head.split(" ", 3)[1]);
  }

  public void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A masked text frame carrying {@code payload} as is (it need not be valid UTF-8). */
  public void sendText(byte[] payload) throws IOException {
    writeRaw(frame(0x1, payload));
  }

  public void sendText(String text) throws IOException {
    sendText(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Only the header of a masked text frame announcing {@code length} payload bytes. */
  public void sendFrameHeader(long length) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x80 | 0x1);
    b.write(0x80 | 127);
    for (int i = 7; i >= 0; i--) {
      b.write((int) (length >>> (8 * i)) & 0xff);
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    b.writeBytes(mask);
    writeRaw(b.toByteArray());
  }

  private byte[] frame(int opcode, byte[] payload) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x80 | opcode);
    int n = payload.length;
    if (n < 126) {
      b.write(0x80 | n);
    } else if (n < 65536) {
      b.write(0x80 | 126);
      b.write(n >>> 8);
      b.write(n & 0xff);
    } else {
      b.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        b.write((int) ((long) n >>> (8 * i)) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    b.writeBytes(mask);
    for (int i = 0; i < n; i++) {
      b.write(payload[i] ^ mask[i % 4]);
    }
    return b.toByteArray();
  }

  /** One server frame: its opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : NO_CLOSE_FRAME;
    }
  }

  /** The next frame, or null at the end of the stream. */
  public Frame readFrame() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = readByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = (readByte() << 8) | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte();
      }
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      return null;
    }
    return new Frame(b0 & 0x0f, payload);
  }

  /** The next text frame, skipping pings. */
  public String readText() throws IOException {
    Frame f;
    while ((f = readFrame()) != null) {
      if (f.opcode() == 0x1) {
        return f.text();
      }
      if (f.opcode() == 0x8) {
        throw new IOException("closed with " + f.closeCode());
      }
    }
    throw new IOException("connection ended");
  }

  /**
   * Reads (without answering pings) until the server closes: the close frame's code, or
   * {@link #NO_CLOSE_FRAME} if the TCP connection ended without one. Fails after {@code timeoutMs}.
   */
  public int readUntilClosed(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      Frame f;
      while ((f = readFrame()) != null) {
        if (f.opcode() == 0x8) {
          return f.closeCode();
        }
      }
      return NO_CLOSE_FRAME;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + timeoutMs + " ms");
    } catch (java.net.SocketException reset) {
      return NO_CLOSE_FRAME;
    }
  }

  /** Reads raw bytes until the server ends the connection; true if it did within {@code timeoutMs}. */
  public boolean endsWithin(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      byte[] sink = new byte[8192];
      while (in.read(sink) >= 0) {
        // discard whatever the server still sends
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("connection ended inside a frame");
    }
    return b;
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = readByte();
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
