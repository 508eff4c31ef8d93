package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void latencySummaryIsInMilliseconds() {
    Histogram h = new Histogram(Measurements.MAX_MICROS, 3);
    for (int i = 1; i <= 100; i++) {
      h.recordValue(i * 1000L); // 1..100 ms
    }
    ObjectNode n = Report.latency(mapper, h);
    assertThat(n.path("count").asLong()).isEqualTo(100);
    assertThat(n.path("p50").asDouble()).isBetween(49.9, 50.1);
    assertThat(n.path("p99").asDouble()).isBetween(98.9, 99.1);
    assertThat(n.path("max").asDouble()).isBetween(99.9, 100.1);
  }

  @Test
  void emptyHistogramHasOnlyACount() {
    ObjectNode n = Report.latency(mapper, new Histogram(Measurements.MAX_MICROS, 3));
    assertThat(n.path("count").asLong()).isZero();
    assertThat(n.has("p50")).isFalse();
  }

  @Test
  void statsSkipGaps() {
    ObjectNode s = Report.stats(mapper, Arrays.asList(0.5, null, 0.25), 100, 1);
    assertThat(s.path("samples").asInt()).isEqualTo(2);
    assertThat(s.path("mean").asDouble()).isEqualTo(37.5);
    assertThat(s.path("max").asDouble()).isEqualTo(50.0);
  }

  @Test
  void textReportShowsLatencyTableDiscrepanciesAndVerdict() throws Exception {
    String json = """
        {"scenario":"smoke","elapsedSeconds":12.3,"result":"FAIL","startedAt":"2026-11-22T10:00:00Z",
         "machine":{"cores":2,"java":"17"},
         "options":{"viewers":50,"url":"http://127.0.0.1:18080"},
         "latencyMs":{"join":{"count":50,"p50":1.5,"p95":3.0,"p99":4.25,"max":5.0},"ack":{"count":0}},
         "connections":{"established":51,"refused":0,"dropped":0,"reconnects":0,"peakOpen":51},
         "votes":{"sent":60,"acked":60},
         "errors":{"byCode":{},"unexpected":0,"clientSide":{}},
         "server":{"cpuPercentOfMachine":{"samples":3,"mean":12.5,"max":20.0},"heapUsedMiB":{"samples":0},
                   "connections":{"max":51}},
         "polls":[{"label":"smoke","kind":"single","voters":50,"applied":55,
                   "exactlyOnce":{"passed":false,"expected":{"a":"30"},"expectedVoters":"50",
                                  "server":{"a":31},"serverVoters":51}}],
         "protocolDiscrepancies":[{"what":"presence pushed to a viewer","count":3}],
         "failures":["smoke: exactly-once check failed"]}
        """;
    String text = Report.render(mapper.readTree(json));
    assertThat(text).contains("scenario smoke, 50 viewers")
        .contains("=>  FAIL")
        .containsPattern("join\\s+50\\s+1\\.5\\s+3\\.0\\s+4\\.3\\s+5\\.0")
        .containsPattern("ack\\s+0\\s+-")
        .contains("mean 12.5 / max 20.0")
        .contains("heap n/a")
        .contains("exactly-once FAILED")
        .contains("server   {\"a\":31} voters 51")
        .contains("3 x presence pushed to a viewer")
        .contains("- smoke: exactly-once check failed");
  }
}
