package io.sluice.catalog;

/**
 * A stream's validated destination configuration: an immutable value of one destination type, opaque
 * to the catalog, which stores it through a {@link DestinationFormat}.
 */
public interface DestinationSpec {}
