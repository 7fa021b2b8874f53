/**
 * Milvus's data coordinator, reduced to what one process needs: {@link DataCoord} assigns the id
 * of the growing segment of each (channel, partition) and decides when that segment is sealed, by
 * rows, by bytes, or by the age of its assignment, so that a quiet channel does not keep rows only
 * in the log. Only the data node asks it. Assignments are held in memory, under the coordinator's
 * lock, and are not persisted: after a restart the data node replays the log from the checkpoints
 * and asks again. It depends on rootcoord for ids.
 */
package org.quiver.engine.datacoord;
