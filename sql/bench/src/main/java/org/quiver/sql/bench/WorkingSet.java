package org.quiver.sql.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The pages of mapped files that this process touched since a mark: the page cache a search
 * needs resident, measured rather than estimated from file sizes.
 *
 * <p>Linux keeps an accessed bit per page-table entry. Writing {@code 1} to
 * {@code /proc/self/clear_refs} clears those bits for every page of the process; afterwards the
 * {@code Referenced} figure of each mapping in {@code /proc/self/smaps} counts the pages read or
 * written since. A page of a mapped file that the search never reads is not counted even when the
 * kernel happens to cache it, and one that it reads is counted even when it was cached before.
 * Elsewhere than Linux (or where {@code /proc} may not be written) nothing is measured.
 */
final class WorkingSet {
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
  private static final Path SMAPS = Path.of("/proc/self/smaps");

  private WorkingSet() {}

  /** Clears the accessed bits of every page; false where the system cannot. */
  static boolean mark() {
    try {
      Files.writeString(CLEAR_REFS, "1");
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /**
   * Bytes of the mappings of files under {@code root} that were touched since {@link #mark};
   * -1 where unknown.
   */
  static long touchedUnder(Path root) {
    List<String> lines;
    try {
      lines = Files.readAllLines(SMAPS);
    } catch (IOException | SecurityException e) {
      return -1;
    }
    String prefix;
    try {
      // smaps names files by their real paths.
      prefix = root.toRealPath() + "/";
    } catch (IOException e) {
      return -1;
    }
    long kib = 0;
    boolean inside = false;
    for (String line : lines) {
      if (isMappingHeader(line)) {
        // "start-end perms offset dev inode   path": the path is the sixth field, if any.
        String[] fields = line.trim().split("\\s+", 6);
        inside = fields.length == 6 && fields[5].startsWith(prefix);
      } else if (inside && line.startsWith("Referenced:")) {
        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return kib * 1024;
  }

  /** A mapping's first line begins with its address range, {@code 7f12a000-7f12b000}. */
  private static boolean isMappingHeader(String line) {
    int dash = line.indexOf('-');
    if (dash <= 0) {
      return false;
    }
    for (int i = 0; i < dash; i++) {
      if (Character.digit(line.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
