package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void smokeDefaultsAreSmall() {
    Options o = Options.parse("--scenario", "smoke", "--organiser-token", "t");
    assertThat(o.viewers).isEqualTo(50);
    assertThat(o.moderators).isEqualTo(1);
    assertThat(o.durationSeconds).isEqualTo(30);
  }

  @Test
  void explicitValuesWinOverScenarioDefaults() {
    Options o = Options.parse("--scenario=poll-burst", "--organiser-token", "t", "--viewers", "700",
        "--url", "http://127.0.0.1:18080/", "--allow-errors", "rate_limited,unavailable", "--hidden-results");
    assertThat(o.viewers).isEqualTo(700);
    assertThat(o.url.toString()).isEqualTo("http://127.0.0.1:18080");
    assertThat(o.allowedErrors).containsExactly("rate_limited", "unavailable");
    assertThat(o.resultsVisible).isFalse();
  }

  @Test
  void congressDefaultsToTheReferenceEvent() {
    Options o = Options.parse("--scenario", "congress", "--organiser-token", "t");
    assertThat(o.viewers).isEqualTo(1800);
    assertThat(o.stages).isEqualTo(3);
  }

  @Test
  void unboundedValuesAreRefused() {
    assertThatThrownBy(() -> Options.parse("--scenario", "smoke", "--organiser-token", "t", "--duration", "99999"))
        .hasMessageContaining("--duration");
    assertThatThrownBy(() -> Options.parse("--scenario", "smoke", "--organiser-token", "t", "--viewers", "0"))
        .hasMessageContaining("--viewers");
    assertThatThrownBy(() -> Options.parse("--scenario", "nope", "--organiser-token", "t"))
        .hasMessageContaining("unknown scenario");
    assertThatThrownBy(() -> Options.parse("--scenario", "smoke", "--organiser-token", "t", "--bogus", "1"))
        .hasMessageContaining("unknown option");
  }

  @Test
  void describeNeverContainsTheToken() {
    Options o = Options.parse("--scenario", "smoke", "--organiser-token", "very-secret");
    assertThat(o.describe().toString()).doesNotContain("very-secret");
  }
}
