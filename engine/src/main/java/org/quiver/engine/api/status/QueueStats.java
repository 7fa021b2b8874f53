package org.quiver.engine.api.status;

/**
 * The figures of one of the proxy's task queues, as {@code sys.queues} shows them.
 *
 * @param queue definition, manipulation or query
 * @param unissued tasks with a timestamp waiting for their turn
 * @param active tasks running
 * @param done tasks finished successfully since the engine opened
 * @param failed tasks finished with an error since the engine opened
 */
public record QueueStats(String queue, int unissued, int active, long done, long failed) {}
