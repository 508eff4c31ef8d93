package org.plenum.engine;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory engine's files, all private to the server's user (directory 0700, files 0600):
 * <ul>
 *   <li>{@code snapshot.json}: the state as JSON lines, opened by a header naming the journal
 *       generation and sequence number its tail starts at and the storage schema
 *       ({@link StoredForm#SCHEMA}; absent in older files: 1), closed by an end line;</li>
 *   <li>{@code journal-NNNNNN.jsonl}: journal generations, the tail since the snapshot, each opened
 *       by a no-op record naming its storage schema (absent in older files: 1);</li>
 *   <li>{@code secret.key}: the token-signing secret (never in the journal or the snapshot).</li>
 * </ul>
 * Every replacement is atomic: written to a temporary file, forced, renamed, directory forced.
 * All methods block: call them from a worker thread.
 */
final class DataDir {
  private static final Logger LOG = Logger.getLogger(DataDir.class.getName());
  private static final Pattern GENERATION = Pattern.compile("journal-(\\d{6})\\.jsonl");
  static final String SNAPSHOT = "snapshot.json";
  static final String SECRET = "secret.key";
  /** The single journal file of versions before generations: becomes generation 0. */
  static final String LEGACY_JOURNAL = "journal.jsonl";

  private final Path dir;

  DataDir(Path dir) {
    this.dir = dir;
  }

  Path path() {
    return dir;
  }

  Path generationFile(int gen) {
    return dir.resolve(String.format("journal-%06d.jsonl", gen));
  }

  /** What a start (or a rebuild after a failed write) reads from disk. */
  record Loaded(List<JsonObject> snapshot, long tailLsn, List<JsonObject> tail, int lastGeneration,
                long lastGenerationLength, long lastGenerationRecords, String legacySecret) {}

  /**
   * Creates or tightens the directory, moves a legacy journal to generation 0, reads snapshot and tail.
   * Blocking file I/O: called on a worker thread only.
   */
  Loaded load() throws IOException {
    Files.createDirectories(dir);
    restrict(dir, "rwx------");
    Path legacy = dir.resolve(LEGACY_JOURNAL);
    if (Files.exists(legacy) && generations().isEmpty()) {
      Files.move(legacy, generationFile(0), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory();
    }
    try (var leftovers = Files.newDirectoryStream(dir, "*.tmp")) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p); // a snapshot or secret interrupted before its rename: never in use
      }
    }
    List<JsonObject> snapshot = List.of();
    int tailGen = 0;
    long tailLsn = 0;
    Path snapshotFile = dir.resolve(SNAPSHOT);
    java.util.concurrent.CompletableFuture<List<JsonObject>> snapshotRead = null;
    if (Files.exists(snapshotFile)) {
      restrict(snapshotFile, "rw-------");
      // the header first (one line), then the snapshot is parsed on another core while this thread reads the tail
      JsonObject header = readHeader(snapshotFile);
      StoredForm.requireKnown(header.getInteger("schema", 1), "snapshot " + snapshotFile); // absent: schema 1
      tailGen = header.getInteger("tailGen");
      tailLsn = header.getLong("tailLsn");
      snapshotRead = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return readSnapshot(snapshotFile);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    TreeMap<Integer, Path> gens = generations();
    requireContiguous(gens.tailMap(tailGen), tailGen, Files.exists(snapshotFile));
    List<JsonObject> tail = new ArrayList<>();
    String legacySecret = null;
    int lastGen = Math.max(tailGen, 1);
    long lastLength = 0;
    long lastRecords = 0;
    for (var entry : gens.entrySet()) {
      Path file = entry.getValue();
      if (entry.getKey() < tailGen) {
        Files.delete(file); // compacted into the snapshot; a crash came before its deletion
        continue;
      }
      restrict(file, "rw-------");
      Parsed parsed = parse(Files.readAllBytes(file), file);
      if (parsed.goodLength < Files.size(file)) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(parsed.goodLength);
          ch.force(true);
        }
      }
      for (JsonObject r : parsed.records) {
        if ("secret".equals(r.getString("op"))) {
          legacySecret = r.getString("value");
        }
      }
      tail.addAll(parsed.records);
      lastGen = entry.getKey();
      lastLength = parsed.goodLength;
      lastRecords = parsed.records.size();
    }
    if (snapshotRead != null) {
      try {
        List<JsonObject> lines = snapshotRead.join(); // load() runs on a worker thread, never an event loop
        snapshot = lines.subList(1, lines.size() - 1);
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }
    return new Loaded(snapshot, tailLsn, tail, lastGen, lastLength, lastRecords, legacySecret);
  }

  /**
   * The tail must be every generation from the snapshot's on, without a gap: a missing one (a
   * backup copied while a compaction ran, a file deleted by hand) would shift every sequence number.
   */
  private void requireContiguous(java.util.SortedMap<Integer, Path> tail, int tailGen, boolean snapshot) {
    int expected = snapshot ? tailGen : tail.isEmpty() ? 0 : tail.firstKey();
    for (int gen : tail.keySet()) {
      if (gen != expected) {
        throw new IllegalStateException("data directory " + dir + ": journal generation " + expected
            + " is missing (found " + gen + "); refusing to start rather than replay an incomplete tail");
      }
      expected++;
    }
    if (snapshot && tail.isEmpty()) {
      throw new IllegalStateException("data directory " + dir + ": the snapshot's journal generation " + tailGen
          + " is missing; refusing to start rather than lose its records");
    }
  }

  private TreeMap<Integer, Path> generations() throws IOException {
    TreeMap<Integer, Path> out = new TreeMap<>();
    try (var files = Files.newDirectoryStream(dir, "journal-*.jsonl")) {
      for (Path p : files) {
        Matcher m = GENERATION.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      }
    }
    return out;
  }

  /** Deletes every generation before {@code keepFrom}: what the snapshot now holds. */
  void deleteGenerationsBefore(int keepFrom) throws IOException {
    for (var entry : generations().headMap(keepFrom).entrySet()) {
      Files.delete(entry.getValue());
    }
    syncDirectory();
  }

  private static JsonObject readHeader(Path file) throws IOException {
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = reader.readLine();
      try {
        JsonObject header = first == null ? null : new JsonObject(first);
        if (header != null && "snapshot".equals(header.getString("op")) && header.containsKey("tailGen")) {
          return header;
        }
      } catch (DecodeException e) {
        // reported below
      }
      throw new IllegalStateException("snapshot " + file + " has no valid header; refusing to start rather than lose data");
    }
  }

  private List<JsonObject> readSnapshot(Path file) throws IOException {
    Parsed parsed = parse(Files.readAllBytes(file), file);
    List<JsonObject> lines = parsed.records;
    if (parsed.goodLength != Files.size(file) || lines.size() < 2
        || !"snapshot".equals(lines.get(0).getString("op"))
        || !"end".equals(lines.get(lines.size() - 1).getString("op"))
        || lines.get(lines.size() - 1).getLong("records") != lines.size() - 2) {
      throw new IllegalStateException("snapshot " + file + " is incomplete or damaged; it was replaced atomically,"
          + " so the disk or someone changed it: refusing to start rather than lose data");
    }
    return lines;
  }

  /** Writes the snapshot (header, {@code body} lines, end) atomically in place of the old one; encodes as it goes. */
  void writeSnapshot(JsonObject header, List<JsonObject> body) throws IOException {
    Path tmp = dir.resolve(SNAPSHOT + ".tmp");
    try (FileChannel ch = createPrivate(tmp);
         var out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
      out.write((header.encode() + "\n").getBytes(StandardCharsets.UTF_8));
      for (JsonObject line : body) {
        out.write(line.toBuffer().getBytes());
        out.write('\n');
      }
      out.write((new JsonObject().put("op", "end").put("records", body.size()).encode() + "\n")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      ch.force(true);
    }
    replace(tmp, dir.resolve(SNAPSHOT));
  }

  /** The token-signing secret: read from its file, else {@code legacy} (a journal's), else new; kept 0600. */
  byte[] secret(String legacy) throws IOException {
    Path file = dir.resolve(SECRET);
    if (Files.exists(file)) {
      restrict(file, "rw-------");
      return Base64.getDecoder().decode(Files.readString(file).strip());
    }
    byte[] secret;
    if (legacy != null) {
      secret = Base64.getDecoder().decode(legacy);
    } else {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
    }
    Path tmp = dir.resolve(SECRET + ".tmp");
    try (FileChannel ch = createPrivate(tmp)) {
      writeAll(ch, (Base64.getEncoder().encodeToString(secret) + "\n").getBytes(StandardCharsets.UTF_8));
      ch.force(true);
    }
    replace(tmp, file);
    return secret;
  }

  private void replace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the data directory's file system cannot rename atomically: " + dir, e);
    }
    syncDirectory();
  }

  /** Makes a rename or a new file in the directory itself durable. */
  void syncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory for reading: the rename is then as durable as they make it
      if (!(e instanceof java.nio.file.AccessDeniedException)) {
        LOG.fine("cannot force directory " + dir + ": " + e);
      }
    }
  }

  private static void writeAll(FileChannel ch, byte[] bytes) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static FileChannel createPrivate(Path file) throws IOException {
    Files.deleteIfExists(file);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    restrict(file, "rw-------");
    return ch;
  }

  /** Opens (creating if need be) a journal generation for positional writes, mode 0600. */
  static FileChannel openPrivate(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    restrict(file, "rw-------");
    return ch;
  }

  static void restrict(Path path, String mode) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException notPosix) {
      // e.g. Windows: the directory's own access rules apply
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict " + path + " to " + mode, e);
    }
  }

  record Parsed(List<JsonObject> records, long goodLength) {}

  /**
   * Reads JSON lines in one pass over the bytes. What an interrupted write leaves at the end — a
   * line without its newline, an unreadable last line, zero bytes (a full disk or a crash after
   * the file grew but before its data landed) — is cut off: those records were never acknowledged,
   * because an acknowledgement waits for the whole batch to be on disk. A line holding zero bytes
   * before the end can only be the gap an older Plenum left after a failed write (it answered
   * {@code unavailable} for it): skipped with a warning. Any other unreadable line before the end
   * means the file is damaged: refuse, rather than start without data.
   */
  static Parsed parse(byte[] bytes, Path file) {
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    if (end < bytes.length) {
      LOG.warning(file + ": cutting " + (bytes.length - end) + " zero bytes off the end, left by an interrupted write");
    }
    List<JsonObject> out = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    while (start < end) {
      int nl = indexOf(bytes, (byte) '\n', start, end);
      lineNo++;
      if (nl < 0) {
        LOG.warning(file + ": dropping an incomplete last record (line " + lineNo + "), left by an interrupted write");
        break;
      }
      int lastZero = lastIndexOf(bytes, (byte) 0, start, nl);
      if (lastZero >= 0) {
        if (nl == end - 1 && lastZero == nl - 1) {
          LOG.warning(file + ": dropping a torn last record (line " + lineNo + ")");
          break;
        }
        // the gap ends where the next write began: what follows the zeros is a record of its own
        LOG.warning(file + ": skipping a torn record at line " + lineNo
            + " (zero bytes: a write that failed and was never acknowledged)");
        start = lastZero + 1;
        lineNo--;
        continue;
      }
      String line = new String(bytes, start, nl - start, StandardCharsets.UTF_8);
      if (!line.isBlank()) {
        try {
          out.add(new JsonObject(line));
        } catch (DecodeException e) {
          if (nl != end - 1) {
            throw new IllegalStateException(
                "journal " + file + " is corrupt at line " + lineNo + "; refusing to start rather than lose data");
          }
          LOG.warning(file + ": dropping an unreadable last record (line " + lineNo + ")");
          break;
        }
      }
      start = nl + 1;
    }
    return new Parsed(out, start);
  }

  private static int lastIndexOf(byte[] bytes, byte b, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
