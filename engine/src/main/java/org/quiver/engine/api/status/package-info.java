/**
 * What the engine reports about itself: load state and memory, index build progress, the log's
 * channels, the task queues and their tasks, damaged files, and the report of an offline check.
 */
package org.quiver.engine.api.status;
