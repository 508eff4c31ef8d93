package org.plenum.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * RFC 4180 CSV (fields quoted when needed, quotes doubled, CRLF) written by Apache Commons CSV,
 * UTF-8 with a byte-order mark so that Excel reads the umlauts right. With {@code ;} as separator
 * (German Excel's list separator) decimals are written with a comma, as German Excel expects.
 * Texts typed by participants that start like a formula ({@code = + - @}, tab, CR) get a leading
 * {@code '}, so that opening the file in a spreadsheet never runs them (CSV injection).
 */
final class CsvTableWriter implements TableWriter {
  private final Writer writer;
  private final CSVPrinter printer;
  private final boolean decimalComma;
  private boolean started;

  CsvTableWriter(OutputStream out, char separator) throws IOException {
    this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
    this.printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setDelimiter(separator).get());
    this.decimalComma = separator == ';';
    writer.write('\uFEFF');
  }

  @Override
  public void startTable(ExportTable table) throws IOException {
    if (started) {
      throw new IllegalStateException("a CSV file holds one table");
    }
    started = true;
    printer.printRecord(table.columns());
  }

  @Override
  public void row(Object[] values) throws IOException {
    for (Object v : values) {
      printer.print(text(v));
    }
    printer.println();
  }

  private String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      String s = Double.toString(d);
      return decimalComma ? s.replace('.', ',') : s;
    }
    if (v instanceof String s) {
      return defused(s);
    }
    return v instanceof Instant i ? i.toString() : v.toString();
  }

  static String defused(String s) {
    if (s.isEmpty()) {
      return s;
    }
    char c = s.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
  }

  @Override
  public void flushRows() throws IOException {
    printer.flush();
  }

  @Override
  public void endTable() throws IOException {
    printer.flush();
  }

  @Override
  public void finish() throws IOException {
    printer.flush();
  }
}
