/**
 * The put path between the API and the record log: per-stream throughput quotas ({@link
 * io.sluice.ingest.ThroughputQuotas}) and, in {@code io.sluice.ingest.crypto}, encryption of stored
 * records.
 */
package io.sluice.ingest;
