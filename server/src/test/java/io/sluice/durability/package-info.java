/**
 * Sluice's second promise, proved by damage through the real API: nothing a producer was acknowledged
 * is ever lost. Sluice runs as a child process ({@code SluiceProcess}, killed with SIGKILL) or in
 * this JVM, producers ({@code Load}) put records with unique ids and a {@code Ledger} remembers which
 * were acknowledged, and the tests then look for them in the record log ({@code StoredIds.inLog}, for
 * exactly once and in order) or in what was delivered ({@code StoredIds.inBucket}, for at least once).
 *
 * <ul>
 *   <li>{@code IngestKillIT}: SIGKILL under concurrent load, with torn tails; a bit-flipped segment.
 *   <li>{@code DeliveryKillIT}: SIGKILL mid-upload to s3proxy and mid-write to the local store.
 *   <li>{@code LambdaKillIT}: SIGKILL while Lambda invocations are in flight, also partitioned by the
 *       function's keys ({@code KillRounds}).
 *   <li>{@code QueryPartitioningKillIT}: SIGKILL mid-delivery of a stream partitioned by a jq query,
 *       with partitions held open across passes and records going to the error output ({@code
 *       KillRounds}).
 *   <li>{@code S3OutageIT}: S3 down for 65 s under load.
 *   <li>{@code FullLogIT}: the log's disk budget used up, then freed.
 *   <li>{@code DiskRefusesWritesIT}: every write of the process failing for a while (file size limit
 *       0), as on a full disk.
 *   <li>{@code S3MisconfigurationIT}: a missing bucket and a wrong secret, logged once, then fixed.
 *   <li>{@code LogReadFailureIT}: a segment delivery cannot read for a while.
 * </ul>
 */
package io.sluice.durability;
