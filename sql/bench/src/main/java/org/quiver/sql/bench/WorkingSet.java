package org.quiver.sql.bench;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
  /** madvise(2)'s advice: no read-ahead around a fault. */
  private static final int MADV_RANDOM = 1;
  /** madvise(2)'s advice (Linux 5.4): reclaim the pages, a clean file page from the cache. */
  private static final int MADV_PAGEOUT = 21;

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
    return sumUnder(root, "Referenced:");
  }

  /** The sum of a field of smaps, in bytes, over the mappings of files under {@code root}. */
  private static long sumUnder(Path root, String field) {
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
      } else if (inside && line.startsWith(field)) {
        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return kib * 1024;
  }

  /**
   * Empties the page cache of the mappings of files under {@code root} and turns off read-ahead
   * on them (madvise MADV_PAGEOUT and MADV_RANDOM), so that the pages mapped afterwards are the
   * ones a search faulted in itself: {@link #touchedUnder} also counts the pages the kernel maps
   * around each fault from a warm cache (fault-around, 16 by default), which the search never
   * read. Returns false where that cannot be done (not Linux, an older kernel).
   */
  static boolean coldStart(Path root) {
    try {
      MethodHandle madvise = Linker.nativeLinker().downcallHandle(
          Linker.nativeLinker().defaultLookup().find("madvise").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT));
      String prefix = root.toRealPath() + "/";
      for (String line : Files.readAllLines(SMAPS)) {
        if (!isMappingHeader(line)) {
          continue;
        }
        String[] fields = line.trim().split("\\s+", 6);
        if (fields.length < 6 || !fields[5].startsWith(prefix)) {
          continue;
        }
        String[] range = fields[0].split("-");
        long start = Long.parseUnsignedLong(range[0], 16);
        long length = Long.parseUnsignedLong(range[1], 16) - start;
        MemorySegment at = MemorySegment.ofAddress(start);
        if ((int) madvise.invokeExact(at, length, MADV_RANDOM) != 0
            || (int) madvise.invokeExact(at, length, MADV_PAGEOUT) != 0) {
          return false;
        }
      }
      return true;
    } catch (Throwable e) {
      return false;
    }
  }

  /** Bytes of the mappings of files under {@code root} in memory now (their Rss); -1 unknown. */
  static long residentUnder(Path root) {
    return sumUnder(root, "Rss:");
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
