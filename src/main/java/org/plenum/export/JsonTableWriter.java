package org.plenum.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import org.plenum.stage.Stage;
import org.plenum.stage.Talk;

/**
 * The JSON export (schema {@code docs/export.schema.json}): the event, its stages with their
 * programmes, then one array per table whose objects carry the table's columns as keys. Written
 * with Jackson's streaming generator, so no document tree is built.
 */
final class JsonTableWriter implements TableWriter {
  static final String SCHEMA = "plenum-export/1";
  private static final JsonFactory FACTORY = new JsonFactory();

  private final JsonGenerator json;
  private List<String> columns;

  JsonTableWriter(OutputStream out, ExportScope scope) throws IOException {
    this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.writeStartObject();
    json.writeStringField("schema", SCHEMA);
    json.writeStringField("exportedAt", scope.exportedAt().toString());
    json.writeObjectFieldStart("event");
    json.writeStringField("id", scope.event().id());
    json.writeStringField("name", scope.event().name());
    json.writeEndObject();
    json.writeStringField("stageId", scope.stageOnly());
    json.writeArrayFieldStart("stages");
    for (Stage s : scope.stages()) {
      json.writeStartObject();
      json.writeStringField("id", s.id());
      json.writeStringField("name", s.name());
      json.writeStringField("code", s.code());
      json.writeArrayFieldStart("talks");
      for (Talk t : scope.programme(s.id()).talks()) {
        json.writeStartObject();
        json.writeStringField("id", t.id());
        json.writeStringField("title", t.title());
        json.writeStringField("speakers", t.speakers());
        json.writeStringField("startsAt", t.startsAt().toString());
        json.writeStringField("endsAt", t.endsAt().toString());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  @Override
  public void startTable(ExportTable table) throws IOException {
    columns = table.columns();
    json.writeArrayFieldStart(table.wire());
  }

  @Override
  public void row(Object[] values) throws IOException {
    json.writeStartObject();
    for (int c = 0; c < values.length; c++) {
      json.writeFieldName(columns.get(c));
      Object v = values[c];
      if (v == null) {
        json.writeNull();
      } else if (v instanceof String s) {
        json.writeString(s);
      } else if (v instanceof Long n) {
        json.writeNumber(n);
      } else if (v instanceof Double d) {
        json.writeNumber(d);
      } else if (v instanceof Boolean b) {
        json.writeBoolean(b);
      } else if (v instanceof Instant i) {
        json.writeString(i.toString());
      } else {
        throw new IllegalArgumentException("not an export value: " + v.getClass());
      }
    }
    json.writeEndObject();
  }

  @Override
  public void flushRows() throws IOException {
    json.flush();
  }

  @Override
  public void endTable() throws IOException {
    json.writeEndArray();
  }

  @Override
  public void finish() throws IOException {
    json.writeEndObject();
    json.flush();
  }
}
