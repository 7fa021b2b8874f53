/**
 * The one catalogue of errors a user can cause: {@link ErrorCode} gives each its SQLSTATE
 * (PostgreSQL's code where one fits) and a stable Quiver code, mirrored in docs/errors.md, and
 * {@link QuiverException} carries one code with a message that names the bad value.
 * {@link StorageFailures} turns a failure of the disk into a catalogued error (53100 for a full
 * disk, 58030 otherwise). The engine raises these, and the SQL layer turns them into SQLExceptions
 * with the same SQLSTATE. A new code goes into the enum and docs/errors.md together; an existing
 * one is never reused or changed, because clients and tests match on it.
 */
package org.quiver.engine.error;
