package org.plenum.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.stage.PollSpec;

/** The quiz fields of a new poll's request body: {@code correct} (option indexes), {@code points}, {@code speedBonus}. */
final class QuizFields {
  private QuizFields() {}

  static PollSpec into(PollSpec spec, JsonObject body) {
    Object rawCorrect = body.getValue("correct");
    Object rawPoints = body.getValue("points");
    Object rawBonus = body.getValue("speedBonus");
    if (rawCorrect == null && rawPoints == null && rawBonus == null) {
      return spec;
    }
    List<Integer> correct = null;
    if (rawCorrect != null) {
      if (!(rawCorrect instanceof JsonArray array) || array.size() > PollSpec.MAX_OPTIONS) {
        throw invalid("correct: an array of option indexes (0-based)");
      }
      correct = new ArrayList<>();
      for (Object o : array) {
        if (!(o instanceof Integer || o instanceof Long)) {
          throw invalid("correct: every entry is an option index (a whole number)");
        }
        long i = ((Number) o).longValue();
        correct.add(i < 0 || i > Integer.MAX_VALUE ? -1 : (int) i);
      }
    }
    Integer points = null;
    if (rawPoints != null) {
      if (!(rawPoints instanceof Integer || rawPoints instanceof Long)) {
        throw invalid("points: a whole number");
      }
      long p = ((Number) rawPoints).longValue();
      points = p < Integer.MIN_VALUE || p > Integer.MAX_VALUE ? -1 : (int) p;
    }
    Boolean bonus = null;
    if (rawBonus != null) {
      if (!(rawBonus instanceof Boolean b)) {
        throw invalid("speedBonus: true or false");
      }
      bonus = b;
    }
    return new PollSpec(spec.kind(), spec.question(), spec.options(), spec.maxSelections(), spec.scale(),
        spec.resultsVisible(), spec.open(), spec.seconds(), correct, points, bonus);
  }

  private static PlenumException invalid(String message) {
    return new PlenumException(ErrorCode.INVALID_FIELD, message);
  }
}
