package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String TEXT = """
      # HELP process_cpu_usage The "recent cpu usage" for the Java Virtual Machine process
      # TYPE process_cpu_usage gauge
      process_cpu_usage 0.4375
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
      plenum_connections{role="viewer"} 1800.0
      plenum_connections{role="moderator"} 3.0
      odd_metric{label="a \\"quoted\\" value, with comma"} NaN
      no_value
      """;

  @Test
  void sumsSamplesAcrossLabels() {
    PrometheusText p = PrometheusText.parse(TEXT);
    assertThat(p.sum("process_cpu_usage")).isEqualTo(0.4375);
    assertThat(p.sum("plenum_connections")).isEqualTo(1803.0);
  }

  @Test
  void filtersByLabel() {
    PrometheusText p = PrometheusText.parse(TEXT);
    assertThat(p.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area")))).isEqualTo(12582912.0);
  }

  @Test
  void readsEscapedLabelValuesAndSkipsNaN() {
    PrometheusText p = PrometheusText.parse(TEXT);
    assertThat(p.samples("odd_metric")).singleElement()
        .satisfies(s -> assertThat(s.labels().get("label")).isEqualTo("a \"quoted\" value, with comma"));
    assertThat(p.sum("odd_metric")).isNull();
  }

  @Test
  void absentMetricIsNull() {
    assertThat(PrometheusText.parse(TEXT).sum("plenum_votes_total")).isNull();
    assertThat(PrometheusText.parse(TEXT).has("no_value")).isFalse();
  }
}
