package org.quiver.engine.proxy;

import java.util.List;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;

/**
 * Exact k-NN of many queries at once, read at the task's timestamp with STRONG consistency
 * like {@link SearchTask}.
 */
final class BatchSearchTask extends Task<List<ResultRows>> {
  private final Components c;
  private final SearchRequest request;
  private final List<SearchVector> queries;

  BatchSearchTask(Components c, SearchRequest request, List<SearchVector> queries) {
    this.c = c;
    this.request = request;
    this.queries = List.copyOf(queries);
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.QUERY;
  }

  @Override
  List<ResultRows> execute() {
    CollectionInfo info = c.collection(request.collection());
    if (!c.queryNode.isLoaded(info.id())) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "table \"%s\" is not loaded; run LOAD TABLE %s first", info.name(), info.name());
    }
    c.scheduler.awaitManipulationsBefore(timestamp());
    c.queryNode.catchUp(info);
    return c.queryNode.searchBatch(info, request, queries, timestamp());
  }
}
