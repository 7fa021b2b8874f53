/**
 * The one error catalogue ({@link org.quiver.engine.api.error.ErrorCode}: a SQLSTATE and a Quiver
 * code per condition) and the exception that carries it to every door.
 */
package org.quiver.engine.api.error;
