package org.plenum.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Set;

/**
 * The address a connection's limits are counted against: the TCP peer's address, or, when that
 * peer is one of the configured trusted reverse proxies, the client address the proxy put in
 * {@code X-Forwarded-For}. Of that header the right-most entry that is not itself a trusted
 * proxy counts: entries further left were written by the client and prove nothing.
 */
final class ClientAddress {
  private final Set<String> trustedProxies;

  ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  String of(SocketAddress peer, MultiMap headers) {
    String direct = peer == null ? "unknown" : peer.hostAddress();
    if (trustedProxies.isEmpty() || !trustedProxies.contains(direct)) {
      return direct;
    }
    List<String> forwarded = headers.getAll("X-Forwarded-For");
    for (int h = forwarded.size() - 1; h >= 0; h--) {
      String[] hops = forwarded.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        String hop = hops[i].strip();
        if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
          return hop.length() > 64 ? hop.substring(0, 64) : hop;
        }
      }
    }
    return direct;
  }
}
