package org.quiver.engine.proxy;

import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.querynode.QueryRequest;
import org.quiver.engine.querynode.ResultRows;
import org.quiver.engine.querynode.SearchRequest;
import org.quiver.engine.rootcoord.CollectionInfo;

/**
 * A k-NN search or a scan, read at the task's timestamp with STRONG consistency: it first waits
 * for every earlier write to be in the log and has the query node apply it.
 */
final class SearchTask extends Task<ResultRows> {
  private final Components c;
  private final SearchRequest search;
  private final QueryRequest query;

  private SearchTask(Components c, SearchRequest search, QueryRequest query) {
    this.c = c;
    this.search = search;
    this.query = query;
  }

  static SearchTask search(Components c, SearchRequest request) {
    return new SearchTask(c, request, null);
  }

  static SearchTask query(Components c, QueryRequest request) {
    return new SearchTask(c, null, request);
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.QUERY;
  }

  @Override
  ResultRows execute() {
    CollectionInfo info = c.collection(search != null ? search.collection() : query.collection());
    if (!c.queryNode.isLoaded(info.id())) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "table \"%s\" is not loaded; run LOAD TABLE %s first", info.name(), info.name());
    }
    c.scheduler.awaitManipulationsBefore(timestamp());
    c.queryNode.catchUp(info);
    return search != null
        ? c.queryNode.search(info, search, timestamp())
        : c.queryNode.query(info, query, timestamp());
  }
}
