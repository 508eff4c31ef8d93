package org.plenum.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * An engine's refusal: an {@link ErrorCode} and the facts it is about (the ids involved, keys from
 * {@link org.plenum.protocol.RefusalTexts}), never a text. The edges word it
 * ({@link org.plenum.protocol.RefusalTexts#message}); {@link #getMessage()} is the code and the facts,
 * for logs. Nothing was changed when it is raised.
 */
public final class EngineRefusal extends PlenumException {
  private final Map<String, Object> facts;

  private EngineRefusal(ErrorCode code, Map<String, Object> facts) {
    super(code, code.wire() + " " + facts);
    this.facts = Map.copyOf(facts);
  }

  /** A refusal with {@code keyValues} as its facts: key, value, key, value... */
  public static EngineRefusal of(ErrorCode code, Object... keyValues) {
    Map<String, Object> facts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        facts.put((String) keyValues[i], keyValues[i + 1]);
      }
    }
    return new EngineRefusal(code, facts);
  }

  @Override
  public boolean worded() {
    return false;
  }

  @Override
  public Map<String, Object> facts() {
    return facts;
  }
}
