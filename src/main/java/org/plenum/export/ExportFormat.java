package org.plenum.export;

import java.io.OutputStream;
import java.util.Locale;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** The file formats of an export and how each is written. */
public enum ExportFormat {
  CSV("text/csv; charset=utf-8", "csv"),
  XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
  JSON("application/json", "json"),
  /** The pseudonymised interaction log, one JSON object per line ({@link InteractionLogExporter}); not a table format. */
  JSONL(InteractionLogExporter.CONTENT_TYPE, "jsonl");

  private final String contentType;
  private final String extension;

  ExportFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  public String extension() {
    return extension;
  }

  /** Opens a writer of this format on {@code out}; called on a worker thread (the writers block). */
  TableWriter open(OutputStream out, ExportScope scope, char separator) throws java.io.IOException {
    return switch (this) {
      case CSV -> new CsvTableWriter(out, separator);
      case XLSX -> new XlsxTableWriter(out);
      case JSON -> new JsonTableWriter(out, scope);
      case JSONL -> throw new IllegalStateException("jsonl is the interaction log, not a table format");
    };
  }

  public static ExportFormat parse(String s) {
    for (ExportFormat f : values()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(s)) {
        return f;
      }
    }
    throw new PlenumException(ErrorCode.INVALID_FIELD, "format: must be csv, xlsx, json or jsonl");
  }
}
