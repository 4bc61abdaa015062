/**
 * The record log as a port: what a put is acknowledged against, and what delivery reads from and
 * commits to. {@link io.sluice.log.RecordLog} and {@link io.sluice.log.StreamReader} hold only what
 * every log can answer, the local journal as well as a Kafka topic or a Kinesis shard; the values
 * ({@link io.sluice.log.StreamKey}, {@link io.sluice.log.AppendRecord}, {@link
 * io.sluice.log.AppendResult}, {@link io.sluice.log.LogRecord}, {@link io.sluice.log.StreamOffsets})
 * and the failures ({@link io.sluice.log.LogException} and its subclasses) are shared by all of them.
 *
 * <p>Depends on the JDK only; knows nothing of stream configurations, nor of any implementation.
 * The ingest path and the delivery engine use this package alone; the composition root chooses the
 * implementation: the local journal of {@code io.sluice.log.journal}, or the Kafka log of
 * {@code io.sluice.log.kafka} in cluster mode.
 */
package io.sluice.log;
