package org.quiver.engine.api;

import java.util.List;

/**
 * Rows returned by a search or a query. Values are boxed as {@link
 * org.quiver.storage.schema.DataType} names them, vectors as {@code float[]}; for a search,
 * {@code distances[i]} belongs to row {@code i} and rows are nearest first.
 */
public record ResultRows(List<String> fields, List<Object[]> rows, double[] distances) {}
