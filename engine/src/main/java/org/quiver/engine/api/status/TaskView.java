package org.quiver.engine.api.status;

/**
 * An unfinished task as {@code sys.tasks} lists it.
 *
 * @param queue definition, manipulation or query
 * @param state unissued (waiting for its turn) or active (running)
 * @param timestamp the hybrid timestamp the task was given on enqueue
 * @param task what it does, e.g. Insert, Search, CreateIndex
 */
public record TaskView(String queue, String state, long timestamp, String task) {}
