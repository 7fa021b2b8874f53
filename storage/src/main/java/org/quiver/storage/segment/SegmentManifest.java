package org.quiver.storage.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The table of contents of a sealed segment directory, written last so that its presence means the
 * segment is complete.
 *
 * <h2>File format</h2>
 *
 * A JSON object in the file {@value #FILE_NAME}:
 *
 * <pre>{@code
 * {"format": "segment-manifest", "version": 1, "segmentId": 7, "rowCount": 1000,
 *  "minTs": 100, "maxTs": 200,
 *  "files": [{"name": "data.arrow", "size": 123456, "crc32c": "1a2b3c4d"}],
 *  "checksum": "5e6f7a8b"}
 * }</pre>
 *
 * {@code checksum} is the CRC32C of a canonical text of the other values (not of the JSON bytes,
 * so that it does not depend on how a JSON library lays the text out). {@link #read} checks it and
 * then the size and CRC32C of every listed file.
 *
 * @param segmentId the segment's id
 * @param rowCount rows in the data file
 * @param minTs smallest insert timestamp of the rows
 * @param maxTs largest insert timestamp of the rows
 * @param files every file of the segment, names unique
 */
public record SegmentManifest(
    long segmentId, long rowCount, long minTs, long maxTs, List<FileInfo> files) {

  public static final String FILE_NAME = "manifest";
  public static final String FORMAT = "segment-manifest";
  public static final int VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SegmentManifest {
    files = List.copyOf(files);
    if (rowCount < 0) {
      throw new IllegalArgumentException("row count must be >= 0, got " + rowCount);
    }
    Set<String> names = new HashSet<>();
    for (FileInfo f : files) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("file listed twice: " + f.name());
      }
      if (f.name().equals(FILE_NAME)) {
        throw new IllegalArgumentException("the manifest cannot list itself");
      }
    }
  }

  /** The entry of the named file, if the segment has it. */
  public Optional<FileInfo> file(String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** This manifest with {@code file} added, replacing an entry of the same name. */
  public SegmentManifest withFile(FileInfo file) {
    List<FileInfo> next = new ArrayList<>(files.size() + 1);
    for (FileInfo f : files) {
      if (!f.name().equals(file.name())) {
        next.add(f);
      }
    }
    next.add(file);
    return new SegmentManifest(segmentId, rowCount, minTs, maxTs, next);
  }

  /** Writes the manifest into {@code dir}, atomically and durably. */
  public void write(Path dir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("segmentId", segmentId);
    root.put("rowCount", rowCount);
    root.put("minTs", minTs);
    root.put("maxTs", maxTs);
    ArrayNode list = root.putArray("files");
    for (FileInfo f : files) {
      list.addObject().put("name", f.name()).put("size", f.size()).put("crc32c", f.crc32cHex());
    }
    root.put("checksum", String.format("%08x", checksum()));
    byte[] bytes = JSON.writeValueAsBytes(root);
    SegmentIo.writeAtomically(
        dir,
        FILE_NAME,
        out -> {
          ByteBuffer buf = ByteBuffer.wrap(bytes);
          while (buf.hasRemaining()) {
            out.write(buf);
          }
        });
  }

  /**
   * Reads the manifest of {@code dir} and verifies the size and CRC32C of every file it lists.
   *
   * @throws CorruptSegmentException naming the manifest if it is missing, unreadable, of an
   *     unknown format or version, or fails its checksum; naming the listed file that is missing or
   *     does not match
   */
  public static SegmentManifest read(Path dir) throws IOException {
    SegmentManifest manifest = parse(dir);
    for (FileInfo f : manifest.files) {
      SegmentIo.verify(dir, f);
    }
    return manifest;
  }

  /**
   * Reads the manifest of {@code dir} and checks its own checksum, but none of the files it lists:
   * for a reader of one small file (such as {@link PrimaryKeyStats}) that verifies that file itself.
   */
  public static SegmentManifest readListing(Path dir) throws IOException {
    return parse(dir);
  }

  private static SegmentManifest parse(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CorruptSegmentException(file, "manifest is missing", e);
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new CorruptSegmentException(file, "not a JSON object");
      }
      String format = text(file, root, "format");
      if (!format.equals(FORMAT)) {
        throw new CorruptSegmentException(file, "format is '" + format + "', expected " + FORMAT);
      }
      long version = number(file, root, "version");
      if (version < 1 || version > VERSION) {
        throw new CorruptSegmentException(
            file, "unsupported version " + version + ", this build reads up to " + VERSION);
      }
      JsonNode list = root.get("files");
      if (list == null || !list.isArray()) {
        throw new CorruptSegmentException(file, "'files' is not a list");
      }
      List<FileInfo> files = new ArrayList<>();
      for (JsonNode f : list) {
        String name = text(file, f, "name");
        files.add(new FileInfo(name, number(file, f, "size"), hex(file, text(file, f, "crc32c"))));
      }
      SegmentManifest manifest =
          new SegmentManifest(
              number(file, root, "segmentId"),
              number(file, root, "rowCount"),
              number(file, root, "minTs"),
              number(file, root, "maxTs"),
              files);
      int stored = hex(file, text(file, root, "checksum"));
      if (stored != manifest.checksum()) {
        throw new CorruptSegmentException(
            file,
            "checksum is "
                + String.format("%08x", manifest.checksum())
                + ", manifest says "
                + String.format("%08x", stored));
      }
      return manifest;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new CorruptSegmentException(file, "manifest cannot be parsed: " + e.getMessage(), e);
    }
  }

  private int checksum() {
    StringBuilder text = new StringBuilder();
    text.append(FORMAT).append('\n').append(VERSION).append('\n');
    text.append(segmentId).append('\n').append(rowCount).append('\n');
    text.append(minTs).append('\n').append(maxTs).append('\n');
    for (FileInfo f : files) {
      text.append(f.name()).append('\t').append(f.size()).append('\t').append(f.crc32cHex());
      text.append('\n');
    }
    CRC32C crc = new CRC32C();
    crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  private static String text(Path file, JsonNode node, String name)
      throws CorruptSegmentException {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw new CorruptSegmentException(file, "'" + name + "' is missing or not a string");
    }
    return v.asText();
  }

  private static long number(Path file, JsonNode node, String name)
      throws CorruptSegmentException {
    JsonNode v = node.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new CorruptSegmentException(file, "'" + name + "' is missing or not an integer");
    }
    return v.asLong();
  }

  private static int hex(Path file, String text) throws CorruptSegmentException {
    if (text.length() != 8) {
      throw new CorruptSegmentException(file, "crc '" + text + "' is not 8 hex digits");
    }
    try {
      return Integer.parseUnsignedInt(text, 16);
    } catch (NumberFormatException e) {
      throw new CorruptSegmentException(file, "crc '" + text + "' is not 8 hex digits", e);
    }
  }
}
