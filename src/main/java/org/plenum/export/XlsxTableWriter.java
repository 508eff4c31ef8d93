package org.plenum.export;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * XLSX, one sheet per table, written by fastexcel (org.dhatim:fastexcel): a small, maintained
 * writer that streams each sheet's XML into the zip as rows are flushed, with no DOM and none of
 * Apache POI's size (SXSSF would need poi-ooxml and its schemas, several MB, and buffers rows in
 * temporary files). Strings are written inline, not through the shared-strings table, so memory
 * does not grow with the number of distinct texts. Instants are ISO-8601 text (UTC), as in CSV.
 */
final class XlsxTableWriter implements TableWriter {
  private final Workbook workbook;
  private Worksheet sheet;
  private int row;

  XlsxTableWriter(OutputStream out) {
    this.workbook = new Workbook(out, "Plenum", "1.0");
  }

  @Override
  public void startTable(ExportTable table) throws IOException {
    sheet = workbook.newWorksheet(table.wire());
    row = 0;
    int c = 0;
    for (String column : table.columns()) {
      sheet.inlineString(0, c++, column);
    }
    sheet.range(0, 0, 0, table.columns().size() - 1).style().bold().set();
    row = 1;
  }

  @Override
  public void row(Object[] values) throws IOException {
    for (int c = 0; c < values.length; c++) {
      Object v = values[c];
      if (v instanceof String s) {
        sheet.inlineString(row, c, s);
      } else if (v instanceof Number n) {
        sheet.value(row, c, n);
      } else if (v instanceof Boolean b) {
        sheet.value(row, c, b);
      } else if (v instanceof Instant i) {
        sheet.inlineString(row, c, i.toString());
      }
    }
    row++;
  }

  @Override
  public void flushRows() throws IOException {
    sheet.flush();
  }

  @Override
  public void endTable() throws IOException {
    sheet.finish();
  }

  @Override
  public void finish() throws IOException {
    workbook.finish();
  }
}
