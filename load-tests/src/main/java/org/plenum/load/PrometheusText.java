package org.plenum.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A small reader of the Prometheus text exposition format, enough for the server's /metrics. */
public final class PrometheusText {

  /** One sample line: metric name, labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final Map<String, List<Sample>> byName;

  private PrometheusText(Map<String, List<Sample>> byName) {
    this.byName = byName;
  }

  public static PrometheusText parse(String text) {
    Map<String, List<Sample>> m = new HashMap<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Sample s = parseLine(line);
      if (s != null) {
        m.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
      }
    }
    return new PrometheusText(m);
  }

  static Sample parseLine(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < n && line.charAt(i) == '{') {
      i++;
      while (i < n && line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        if (eq < 0) {
          return null;
        }
        String key = line.substring(i, eq).strip();
        if (key.startsWith(",")) {
          key = key.substring(1).strip();
        }
        i = eq + 1;
        if (i >= n || line.charAt(i) != '"') {
          return null;
        }
        i++;
        StringBuilder v = new StringBuilder();
        while (i < n && line.charAt(i) != '"') {
          char c = line.charAt(i);
          if (c == '\\' && i + 1 < n) {
            char e = line.charAt(++i);
            v.append(e == 'n' ? '\n' : e);
          } else {
            v.append(c);
          }
          i++;
        }
        i++; // closing quote
        labels.put(key, v.toString());
        while (i < n && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
          i++;
        }
      }
      i++; // closing brace
    }
    String rest = line.substring(Math.min(i, n)).strip();
    if (rest.isEmpty()) {
      return null;
    }
    String valueText = rest.split("\\s+")[0];
    double value;
    try {
      value = switch (valueText) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(valueText);
      };
    } catch (NumberFormatException e) {
      return null;
    }
    return new Sample(name, labels, value);
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  public List<Sample> samples(String name) {
    return byName.getOrDefault(name, List.of());
  }

  /** Sum of the samples of {@code name} whose labels pass the filter, or null when there is none. */
  public Double sum(String name, Predicate<Map<String, String>> labelFilter) {
    List<Sample> s = samples(name);
    double sum = 0;
    boolean any = false;
    for (Sample x : s) {
      if (labelFilter.test(x.labels()) && !Double.isNaN(x.value())) {
        sum += x.value();
        any = true;
      }
    }
    return any ? sum : null;
  }

  public Double sum(String name) {
    return sum(name, l -> true);
  }
}
