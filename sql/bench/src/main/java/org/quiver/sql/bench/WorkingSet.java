package org.quiver.sql.bench;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    long kib = 0;
    try {
      for (Mapping m : mappingsUnder(root)) {
        for (String line : m.fields()) {
          if (line.startsWith(field)) {
            kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      }
    } catch (IOException | SecurityException e) {
      return -1;
    }
    return kib * 1024;
  }

  /** A mapping of a file: its address range and the lines smaps gives for it. */
  private record Mapping(long start, long end, List<String> fields) {}

  /** The mappings of files under {@code root}, as {@code /proc/self/smaps} lists them now. */
  private static List<Mapping> mappingsUnder(Path root) throws IOException {
    // smaps names files by their real paths.
    String prefix = root.toRealPath() + "/";
    List<Mapping> mappings = new ArrayList<>();
    List<String> fields = null;
    for (String line : Files.readAllLines(SMAPS)) {
      if (isMappingHeader(line)) {
        // "start-end perms offset dev inode   path": the path is the sixth field, if any.
        String[] header = line.trim().split("\\s+", 6);
        fields = null;
        if (header.length == 6 && header[5].startsWith(prefix)) {
          String[] range = header[0].split("-");
          fields = new ArrayList<>();
          mappings.add(new Mapping(Long.parseUnsignedLong(range[0], 16),
              Long.parseUnsignedLong(range[1], 16), fields));
        }
      } else if (fields != null) {
        fields.add(line);
      }
    }
    return mappings;
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
      for (Mapping m : mappingsUnder(root)) {
        long length = m.end() - m.start();
        MemorySegment at = MemorySegment.ofAddress(m.start());
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
