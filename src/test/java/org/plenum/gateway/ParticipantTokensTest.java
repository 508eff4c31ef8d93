package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParticipantTokensTest {
  private final ParticipantTokens tokens = new ParticipantTokens("0123456789abcdef0123456789abcdef".getBytes());

  @Test
  void anIssuedTokenNamesItsParticipant() {
    assertThat(tokens.verify(tokens.issue("abc123"))).isEqualTo("abc123");
  }

  @Test
  void forgedMalformedOrForeignTokensAreNotAccepted() {
    String token = tokens.issue("abc123");
    assertThat(tokens.verify(token.replace("abc123", "abc124"))).isNull();
    assertThat(tokens.verify(token.substring(0, token.length() - 2))).isNull();
    assertThat(tokens.verify("v1.abc123")).isNull();
    assertThat(tokens.verify("garbage")).isNull();
    assertThat(tokens.verify(null)).isNull();
    assertThat(new ParticipantTokens("another-secret-another-secret-!!".getBytes()).verify(token)).isNull();
  }
}
