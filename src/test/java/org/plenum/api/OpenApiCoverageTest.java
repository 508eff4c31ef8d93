package org.plenum.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every REST route the server registers is in the OpenAPI document (and nothing the document
 * promises is missing from the server): someone writing a client from the docs alone must find
 * every endpoint. The routes are read from the route table's source, where each is one
 * {@code router.<method>("/api/v1/…")} line (and the
 * operations endpoints {@code /health/…}, {@code /metrics}).
 */
class OpenApiCoverageTest {
  private static final Pattern ROUTE = Pattern.compile(
      "router\\.(get|post|put|patch|delete)\\(\"(/api/v1/[^\"]+|/health/[^\"]+|/metrics)\"");

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws IOException {
    Set<String> served = new TreeSet<>();
    for (Path source : java.util.List.of(Path.of("src/main/java/org/plenum/api/ApiRoutes.java"))) {
      Matcher m = ROUTE.matcher(Files.readString(source));
      while (m.find()) {
        // Vert.x path parameters (:stageId) are OpenAPI's {stageId}
        served.add(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2).replaceAll(":(\\w+)", "{$1}"));
      }
    }
    Set<String> documented = new TreeSet<>();
    try (InputStream in = getClass().getResourceAsStream("/openapi.json")) {
      JsonNode paths = new ObjectMapper().readTree(in).get("paths");
      for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
        String path = it.next();
        paths.get(path).fieldNames().forEachRemaining(method -> {
          if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
            documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
          }
        });
      }
    }
    assertThat(served).as("routes found in ApiRoutes").hasSizeGreaterThan(30);
    assertThat(documented).as("served routes missing from openapi.json").containsAll(served);
    assertThat(served).as("openapi.json routes the server does not serve").containsAll(documented);
  }
}
