/**
 * The S3 destination's object-writing side: what each delivered object is called, what its bytes
 * are, and where it is stored. It knows nothing of the record log or the delivery engine, which
 * decide when an object is made and which records go in it.
 *
 * <h2>Keys (delivery spec §4.1–4.2, {@link io.sluice.destination.s3.ObjectKeys})</h2>
 *
 * <pre>
 * &lt;evaluated prefix&gt;&lt;stream name&gt;-&lt;stream version&gt;-&lt;yyyy&gt;-&lt;MM&gt;-&lt;dd&gt;-&lt;HH&gt;-&lt;mm&gt;-&lt;ss&gt;-&lt;uuid&gt;&lt;extension&gt;
 * 2019/10/01/09/my-stream-1-2019-10-01-09-20-18-bb8365b1-4ac9-442a-961d-d1fc07933b43.gz
 * </pre>
 *
 * <ul>
 *   <li>The prefix is the stream's {@code Prefix} with {@code yyyy/MM/dd/HH/} appended when it has
 *       no {@code !{timestamp:...}} (so the default is {@code yyyy/MM/dd/HH/}), glued to the name
 *       with no separator. Error objects use {@code ErrorOutputPrefix}, or
 *       {@code <Prefix><error-output-type>/yyyy/MM/dd/HH/} when it is empty.
 *   <li>One instant per object, the arrival of its oldest record, shown in {@code CustomTimeZone}
 *       (UTC when empty) by every timestamp of the prefix and by the name.
 *   <li>{@code !{firehose:random-string}}: the first 11 characters of a random UUID, new for each
 *       occurrence; {@code <uuid>}: a random lower-case UUID.
 *   <li>Stream version: the stream's {@code VersionId}, 1 at creation, +1 per UpdateDestination.
 *   <li>Extension: {@code FileExtension} when non-empty, else {@code .gz} (GZIP), {@code .zip} (ZIP),
 *       {@code .snappy} (Snappy and HADOOP_SNAPPY), none (UNCOMPRESSED).
 *   <li>An evaluated prefix over 512 characters names no object ({@link
 *       io.sluice.destination.s3.PrefixTooLongException}).
 * </ul>
 *
 * <h2>Bodies (delivery spec §4.5–4.6, {@link io.sluice.destination.s3.ObjectEncoder})</h2>
 *
 * The records, in order, byte for byte, each followed by {@code \n} only when the stream has the
 * {@code AppendDelimiterToRecord} processor, then put in the container of the compression format.
 * Every object is stored with {@code Content-Type: application/octet-stream}.
 *
 * <table>
 *   <caption>Containers</caption>
 *   <tr><th>CompressionFormat</th><th>bytes</th><th>Content-Encoding</th></tr>
 *   <tr><td>UNCOMPRESSED</td><td>the records</td><td>none</td></tr>
 *   <tr><td>GZIP</td><td>one gzip member (RFC 1952) holding the records</td><td>gzip</td></tr>
 *   <tr><td>ZIP</td><td>a zip archive with one deflated entry named by a random UUID (no
 *       extension), sizes in a data descriptor after the entry</td><td>zip</td></tr>
 *   <tr><td>Snappy</td><td>snappy-java's stream format: {@code 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00},
 *       version 1 and compatible version 1 as 4-byte big-endian ints, then for every 32 KiB of
 *       records [4-byte big-endian compressed length][raw Snappy block]. Not the Snappy framing
 *       format ({@code sNaPpY})</td><td>snappy-java</td></tr>
 *   <tr><td>HADOOP_SNAPPY</td><td>Hadoop's block format: for every 32 KiB of records [4-byte
 *       big-endian uncompressed length][4-byte big-endian compressed length][raw Snappy block], no
 *       header</td><td>hadoop-snappy</td></tr>
 * </table>
 *
 * <p>Snappy and HADOOP_SNAPPY bodies are what snappy-java 1.1.10's {@code SnappyOutputStream} and
 * {@code SnappyHadoopCompatibleOutputStream} write with their default 32 KiB blocks, which reproduce
 * objects delivered by AWS byte for byte; the block boundaries depend only on the total bytes.
 *
 * <h2>Stores ({@link io.sluice.destination.s3.ObjectStore})</h2>
 *
 * {@link io.sluice.destination.s3.LocalObjectStore} writes {@code <data-dir>/buckets/<bucket>/<key>}
 * atomically; {@link io.sluice.destination.s3.SdkObjectStore} writes to an S3-compatible service.
 * Both answer every put with a {@link io.sluice.destination.s3.PutOutcome}.
 */
package io.sluice.destination.s3;
