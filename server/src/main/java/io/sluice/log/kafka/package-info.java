/**
 * The record log on Apache Kafka, for cluster mode: {@link io.sluice.log.kafka.KafkaRecordLog} (a topic
 * per stream, one partition, one Kafka record per appended batch in the format of {@code PutBatches}), its
 * readers, and the {@link io.sluice.log.kafka.CommittedOffsets} port where delivered offsets are kept
 * (PostgreSQL in a cluster). Depends on {@code io.sluice.log} and Kafka's clients only.
 */
package io.sluice.log.kafka;
