/**
 * Milvus's proxy, behind the engine's api: {@link Proxy} turns each request into a {@link Task}
 * (timestamp on enqueue, then pre-execute, execute, post-execute), one task class per request
 * type, and the {@link TaskScheduler} runs it on one of three queues: definition tasks one at a
 * time in timestamp order, manipulation tasks one at a time too (each is one durable log write,
 * which is the acknowledgement), queries on the caller's thread. A task's timestamp comes from the
 * root coordinator's oracle under the enqueue lock, which lets a search wait exactly until every
 * write below its guarantee has finished. Proxy is thread-safe; a collection's primary-key index
 * is touched only by the manipulation queue's thread.
 */
package org.quiver.engine.proxy;
