/**
 * The remote door of {@code quiver serve}: {@link QuiverServer} is an Avatica HTTP server
 * (protobuf) over embedded connections to one engine, with beside it the channel, the same
 * requests framed over a persistent TCP connection for Quiver's own driver. {@link AccessControl}
 * decides who runs each request and what they may do, {@link ServerLimits} bounds what one client
 * may hold, and the package also serves health and metrics, writes the structured event log and
 * sets up TLS. It is the quiver-server module, which the command line starts; the embeddable
 * library must never depend on it. Tests bind its listeners to loopback on random ports.
 */
package org.quiver.sql.server;
