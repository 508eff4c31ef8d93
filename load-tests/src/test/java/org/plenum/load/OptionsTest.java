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

  @Test
  void severalNodesAndPartsOfOneAudienceRun() {
    Options o = Options.parse("--scenario", "audience", "--organiser-token", "t", "--viewers", "100000",
        "--url", "http://127.0.0.1:18081,http://127.0.0.1:18082/", "--part", "3/6", "--run-file", "run.json",
        "--connect-rate", "200");
    assertThat(o.urls).hasSize(2);
    assertThat(o.url.toString()).isEqualTo("http://127.0.0.1:18081");
    assertThat(o.partViewers()).isEqualTo(16667); // 100000 = 4 x 16667 + 2 x 16666
    assertThat(o.globalViewerIndex(0)).isEqualTo(2 * 16667);
    assertThat(o.globalViewerIndex(1)).isEqualTo(2 * 16667 + 1);
    assertThat(o.sourceBase).isEqualTo("127.0.0.4"); // one address per part, parts 1, 2 before it
    assertThat(o.resultsVisible).isFalse();
    assertThat(o.durationSeconds).isEqualTo(Audience.neededSeconds(o));
    assertThatThrownBy(() -> Options.parse("--scenario", "audience", "--organiser-token", "t", "--part", "2/3"))
        .hasMessageContaining("--run-file");
    assertThatThrownBy(() -> Options.parse("--scenario", "smoke", "--organiser-token", "t", "--part", "2/3",
        "--run-file", "x")).hasMessageContaining("audience scenario only");
    assertThatThrownBy(() -> Options.parse("--scenario", "audience", "--organiser-token", "t",
        "--url", "http://127.0.0.1:1,http://127.0.0.1:2", "--server-pids", "7")).hasMessageContaining("--server-pids");
  }
}
