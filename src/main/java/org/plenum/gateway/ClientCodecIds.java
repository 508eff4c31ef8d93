package org.plenum.gateway;

/**
 * Finds the action id of a frame that is refused before it is parsed (rate limited), so the
 * error can still name it. A cheap scan, not a parse: a wrong guess only loses the id.
 */
final class ClientCodecIds {
  private ClientCodecIds() {}

  static String peekId(String text) {
    int key = text.indexOf("\"id\"");
    if (key < 0 || text.length() > 65536) {
      return null;
    }
    int colon = text.indexOf(':', key + 4);
    int open = colon < 0 ? -1 : text.indexOf('"', colon + 1);
    int close = open < 0 ? -1 : text.indexOf('"', open + 1);
    if (close < 0 || close - open - 1 > 64) {
      return null;
    }
    String id = text.substring(open + 1, close);
    return org.plenum.protocol.ActionId.isValid(id) ? id : null;
  }
}
