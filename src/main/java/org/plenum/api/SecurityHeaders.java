package org.plenum.api;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Headers every response carries so a browser treats Plenum's pages defensively: no MIME
 * sniffing, no referrer to other sites, a Content-Security-Policy without inline script or style,
 * and no framing by other sites — except the overlay page, which stream production embeds (OBS,
 * vMix browser sources and web mixers that frame it).
 */
final class SecurityHeaders {
  private SecurityHeaders() {}

  /** The pages that may be framed by any site. */
  static final String OVERLAY_PAGE = "/overlay.html";
  private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

  static void apply(RoutingContext ctx) {
    String path = ctx.request().path();
    String host = ctx.request().headers().get("Host");
    ctx.addHeadersEndHandler(v -> set(ctx.response().headers(), path, host));
    ctx.next();
  }

  static void set(MultiMap headers, String path, String host) {
    boolean framable = OVERLAY_PAGE.equals(path);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Content-Security-Policy", policy(host, framable));
    if (!framable) {
      headers.set("X-Frame-Options", "DENY");
    }
  }

  /**
   * Scripts, styles, images and fonts from this server only; the WebSocket to this host (named
   * explicitly: older browsers do not count ws: as 'self').
   */
  static String policy(String host, boolean framable) {
    String sockets = host != null && SAFE_HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
        + "connect-src 'self'" + sockets + "; object-src 'none'; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors " + (framable ? "*" : "'none'");
  }
}
