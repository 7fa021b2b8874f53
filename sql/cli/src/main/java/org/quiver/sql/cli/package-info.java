/**
 * The command line of {@code ./quiver} (the quiver-cli module): {@link Main} parses {@code serve},
 * {@code console}, {@code user}, {@code import} and {@code check} with picocli, one class per
 * command, and exits with 2 and the usage on a bad argument. It is an application, not a library:
 * it chooses the logging backend, and it depends on the server, Flight SQL, Parquet and the
 * embeddable library, while nothing depends on it. The launcher runs it on the class path its
 * build wrote; the benchmarks are a module of their own.
 */
package org.quiver.sql.cli;
