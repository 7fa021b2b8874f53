package org.quiver.sql.rel;

/** A dynamic parameter ({@code ?}) inside a pushed-down expression, bound at execution. */
public record ParamRef(int index) {}
