package org.plenum.export;

import java.io.IOException;

/**
 * Writes tables of rows in one format. Blocking (it writes to an OutputStream), so it is only ever
 * called on a worker thread, one call at a time. Values are String, Long, Double, Boolean,
 * {@link java.time.Instant} or null.
 */
interface TableWriter {
  void startTable(ExportTable table) throws IOException;

  void row(Object[] values) throws IOException;

  /** Called after each batch of rows: hands what is written so far on, so memory stays bounded. */
  void flushRows() throws IOException;

  void endTable() throws IOException;

  /** Ends the document and flushes; the stream stays open. */
  void finish() throws IOException;
}
