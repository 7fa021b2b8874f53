/**
 * Users and privileges of {@code quiver serve}: {@link UserStore} keeps a data directory's users
 * in its {@code users} file (mode 600) with salted {@link PasswordHash}es, never passwords; a
 * {@link Role} and per-table {@link Privilege}s say what each {@link User} may do, and
 * {@link UserStatements} runs CREATE, ALTER and DROP USER, GRANT and REVOKE against that file,
 * which a running server reads again at its next request. {@link Caller} names the authenticated
 * user of the request the current thread runs; it is absent for embedded connections and for a
 * server without users, where whoever can reach the files may do anything. The store is
 * thread-safe.
 */
package org.quiver.sql.auth;
