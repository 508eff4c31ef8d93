package org.plenum.gateway;

import io.vertx.core.MultiMap;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which browser pages may open /ws. A cross-site page must not be able to act with a visitor's
 * browser, so the default is narrow: the configured {@code allowedOrigins}; without them the
 * origin of {@code publicUrl}; without that, the page's own origin (the request's scheme and
 * Host, so the demo's LAN links keep working). {@code *} allows any page. Clients that send no
 * Origin (native apps, tools) are not browsers and are let through.
 */
final class OriginPolicy {
  private final List<String> allowed;
  private final boolean any;

  OriginPolicy(List<String> allowedOrigins, String publicUrl) {
    this.any = allowedOrigins.contains("*");
    if (!allowedOrigins.isEmpty()) {
      this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).toList();
    } else if (publicUrl != null && !publicUrl.isEmpty()) {
      this.allowed = List.of(originOf(publicUrl));
    } else {
      this.allowed = List.of();
    }
  }

  boolean allows(String origin, String scheme, MultiMap headers) {
    if (origin == null || any) {
      return true;
    }
    String o = normalise(origin);
    if (!allowed.isEmpty()) {
      return allowed.contains(o);
    }
    String host = headers.get("Host");
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    // a proxy that terminates TLS says so; the Host is still the one the browser used
    String forwarded = headers.get("X-Forwarded-Proto");
    return o.equals(scheme + "://" + host) || (forwarded != null && o.equals(forwarded.strip().toLowerCase(Locale.ROOT) + "://" + host));
  }

  /** {@code https://Example.org:443/path} → {@code https://example.org}. */
  static String originOf(String url) {
    URI uri = URI.create(url.strip());
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  private static String normalise(String origin) {
    String o = origin.strip();
    if (o.equals("*") || o.equals("null")) {
      return o;
    }
    try {
      return originOf(o);
    } catch (RuntimeException notAUrl) {
      return o.toLowerCase(Locale.ROOT);
    }
  }
}
