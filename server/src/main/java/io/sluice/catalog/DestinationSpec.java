package io.sluice.catalog;

/** A stream's validated destination configuration; one record type per destination Sluice delivers to. */
public sealed interface DestinationSpec permits S3DestinationSpec, HttpEndpointDestinationSpec {}
