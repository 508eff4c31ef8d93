package org.plenum.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.plenum.stage.Ids;

/**
 * Signed participant tokens: {@code v1.<participantId>.<base64url HMAC-SHA256>}. They hold no
 * personal data; they only let a returning browser prove it is the same anonymous participant.
 */
public final class ParticipantTokens {
  private static final String PREFIX = "v1.";
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  public ParticipantTokens(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    });
  }

  /** A token for a new participant. */
  public String issue(String participantId) {
    return PREFIX + participantId + "." + sign(participantId);
  }

  /** The participant id in a valid token, or null for anything missing, malformed or forged. */
  public String verify(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
      return null;
    }
    int dot = token.indexOf('.', PREFIX.length());
    if (dot < 0) {
      return null;
    }
    String participantId = token.substring(PREFIX.length(), dot);
    if (!Ids.isSafeId(participantId)) {
      return null;
    }
    byte[] expected = sign(participantId).getBytes(StandardCharsets.US_ASCII);
    byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? participantId : null;
  }

  private String sign(String participantId) {
    byte[] mac = macs.get().doFinal(participantId.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }
}
