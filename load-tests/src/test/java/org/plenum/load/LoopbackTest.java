package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopbackTest {

  @Test
  void loopbackTargetsAreAccepted() {
    Loopback.requireLoopbackHost("127.0.0.1");
    Loopback.requireLoopbackHost("127.3.2.1");
    Loopback.requireLoopbackHost("localhost");
  }

  @Test
  void anyOtherTargetIsRefused() {
    assertThatThrownBy(() -> Loopback.requireLoopbackHost("10.0.0.1")).hasMessageContaining("non-loopback");
    assertThatThrownBy(() -> Loopback.requireLoopbackHost("192.168.1.20")).hasMessageContaining("non-loopback");
    assertThatThrownBy(() -> Loopback.requireLoopbackHost("8.8.8.8")).hasMessageContaining("non-loopback");
  }

  @Test
  void sourceRangeSkipsNetworkAndBroadcastOctets() {
    assertThat(Loopback.sourceRange("127.0.0.253", 4))
        .containsExactly("127.0.0.253", "127.0.0.254", "127.0.1.1", "127.0.1.2");
  }

  @Test
  void sourceRangeStaysInLoopback() {
    assertThatThrownBy(() -> Loopback.sourceRange("10.0.0.2", 1)).hasMessageContaining("127.0.0.0/8");
    assertThatThrownBy(() -> Loopback.sourceRange("127.255.255.250", 10)).hasMessageContaining("leaves");
  }

  @Test
  void addressesForSplitsConnections() {
    assertThat(Loopback.addressesFor(500, 20_000)).isEqualTo(1);
    assertThat(Loopback.addressesFor(20_001, 20_000)).isEqualTo(2);
    assertThat(Loopback.addressesFor(50_000, 20_000)).isEqualTo(3);
  }
}
