/**
 * {@code ./quiver bench} (the quiver-bench module): programs that measure and print figures as
 * CSV, never assertions. {@link Bench} is their command line (picocli), one sub-command per
 * benchmark, each benchmark a command class that declares its own options. Each run starts from a
 * fresh data directory and measures Quiver's doors beside the raw libraries and pgvector they are
 * compared with, in the same run, so that results read as ratios on one machine. An application
 * module: it may depend on everything, the server and the test fixtures included, and nothing may
 * depend on it. docs/benchmarks.md records its figures.
 */
package org.quiver.sql.bench;
