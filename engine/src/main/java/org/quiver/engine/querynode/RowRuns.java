package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows picked one by one from a few sources (row sets, or query nodes' answers), in pick order,
 * kept as runs: consecutive picks from one source share a run of row numbers, which then becomes
 * one typed selection of each column ({@code Column#select}) instead of a value boxed per row.
 * Not thread-safe.
 *
 * @param <S> what the rows are picked from, told apart by identity
 */
public final class RowRuns<S> {
  private final List<S> sources = new ArrayList<>();
  private final List<int[]> rows = new ArrayList<>();
  /** The rows in the last run, which grows. */
  private int lastRunSize;
  private int size;

  /** Picks row {@code row} of {@code source}. */
  public void add(S source, int row) {
    int last = sources.size() - 1;
    if (last < 0 || sources.get(last) != source) {
      finishRun();
      lastRunSize = 0;
      sources.add(source);
      rows.add(new int[8]);
      last++;
    }
    int[] run = rows.get(last);
    if (lastRunSize == run.length) {
      run = Arrays.copyOf(run, run.length * 2);
      rows.set(last, run);
    }
    run[lastRunSize++] = row;
    size++;
  }

  /** The rows picked so far. */
  public int size() {
    return size;
  }

  /** How many runs the picks make. */
  public int runs() {
    finishRun();
    return sources.size();
  }

  /** The source of run {@code run}. */
  public S source(int run) {
    return sources.get(run);
  }

  /** The row numbers of run {@code run}, in pick order. */
  public int[] rows(int run) {
    finishRun();
    return rows.get(run);
  }

  /** Trims the last run to its rows; adding to it again copies it back. */
  private void finishRun() {
    int last = rows.size() - 1;
    if (last >= 0 && rows.get(last).length != lastRunSize) {
      rows.set(last, Arrays.copyOf(rows.get(last), lastRunSize));
    }
  }
}
