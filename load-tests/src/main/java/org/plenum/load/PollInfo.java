package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The parts of a poll (as the REST API returns it) that the generator needs to vote. */
public record PollInfo(String id, String stageId, String kind, List<String> optionIds, int maxSelections,
                       int scale, boolean resultsVisible) {

  /** Reads {@code {"poll": {...}, "results": ...}} or a bare poll object. */
  public static PollInfo from(JsonNode node) {
    JsonNode p = node.has("poll") ? node.get("poll") : node;
    List<String> options = new ArrayList<>();
    for (JsonNode o : p.path("options")) {
      options.add(o.path("id").asText());
    }
    String kind = p.path("kind").asText();
    int scale = p.path("scale").isNumber() ? p.path("scale").asInt() : 0;
    int max = p.path("maxSelections").isNumber() ? p.path("maxSelections").asInt() : options.size();
    return new PollInfo(p.path("id").asText(), p.path("stageId").asText(), kind, List.copyOf(options),
        max, scale, p.path("resultsVisible").asBoolean(false));
  }

  /** The keys of {@code results.counts}: option ids, or "1".."scale" for a rating poll. */
  public List<String> countKeys() {
    if ("rating".equals(kind)) {
      List<String> keys = new ArrayList<>();
      for (int i = 1; i <= scale; i++) {
        keys.add(Integer.toString(i));
      }
      return keys;
    }
    return optionIds;
  }
}
