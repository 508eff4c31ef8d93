package org.plenum.load;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * This generator may only ever send traffic to this machine: the target and every source
 * address must lie in 127.0.0.0/8 (or be ::1). Anything else is refused before a socket opens.
 */
public final class Loopback {

  private Loopback() {
  }

  /** Throws unless every address {@code host} resolves to is a loopback address. */
  public static void requireLoopbackHost(String host) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve " + host);
    }
    if (all.length == 0) {
      throw new IllegalArgumentException("cannot resolve " + host);
    }
    for (InetAddress a : all) {
      if (!a.isLoopbackAddress()) {
        throw new IllegalArgumentException("refusing non-loopback target " + host + " (" + a.getHostAddress()
            + "): load traffic may only go to 127.0.0.0/8");
      }
    }
  }

  /**
   * {@code count} IPv4 loopback addresses starting at {@code base}, skipping last octets 0 and 255.
   * Each source address gets its own ephemeral port range, so many addresses carry many more
   * connections than the ~28k ports of one.
   */
  public static List<String> sourceRange(String base, int count) {
    long v = parseIpv4(base);
    if ((v >>> 24) != 127) {
      throw new IllegalArgumentException("source base must be in 127.0.0.0/8: " + base);
    }
    List<String> out = new ArrayList<>(count);
    long limit = (128L << 24) - 1; // 127.255.255.255 excluded
    while (out.size() < count) {
      if (v >= limit) {
        throw new IllegalArgumentException("source range leaves 127.0.0.0/8");
      }
      long last = v & 0xff;
      if (last != 0 && last != 255) {
        out.add(format(v));
      }
      v++;
    }
    return out;
  }

  /** Addresses needed so that no source address carries more than {@code perAddress} connections. */
  public static int addressesFor(int connections, int perAddress) {
    return Math.max(1, (connections + perAddress - 1) / perAddress);
  }

  static long parseIpv4(String s) {
    String[] p = s.trim().split("\\.");
    if (p.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + s);
    }
    long v = 0;
    for (String part : p) {
      int o;
      try {
        o = Integer.parseInt(part);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: " + s);
      }
      if (o < 0 || o > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + s);
      }
      v = (v << 8) | o;
    }
    return v;
  }

  static String format(long v) {
    return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
  }
}
