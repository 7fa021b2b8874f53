/**
 * The seam between the thin driver and an embedded engine: {@link EmbeddedConnector}, which
 * quiver-sql implements and registers in {@code META-INF/services}, so that {@code QuiverDriver}
 * finds it with {@link java.util.ServiceLoader} and opens {@code jdbc:quiver:file:} and
 * {@code jdbc:quiver:mem:} without the driver depending on the engine. Without quiver-sql on the
 * class path, an embedded URL fails with a message saying what is missing. Every method added here
 * must be implemented by the embedded library, so keep the interface small.
 */
package org.quiver.jdbc.spi;
