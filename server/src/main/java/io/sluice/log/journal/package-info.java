/**
 * The local journal: the {@link io.sluice.log.RecordLog} of a single node, kept in files of its own.
 * Depends on the JDK, the port it implements ({@code io.sluice.log}) and {@code io.sluice.common}
 * only (it logs through {@link System.Logger}, which the server routes to its logging); knows nothing
 * of stream configurations. Entry point: {@link io.sluice.log.journal.JournalLog}; only the
 * composition root names it (for its statistics and retention), everything else uses the port.
 *
 * <h2>Shape</h2>
 *
 * One shared journal of segment files, appended by a single writer thread with group commit: every
 * batch queued while the previous group was being written becomes one frame, all frames go out in
 * one write and one fsync, then all appends complete. Each stream has dense offsets from 0; the
 * in-memory index (rebuilt from the files at every start) maps a stream to the segments holding its
 * data, with a sparse entry every 256 frames. A small checkpoint file holds what the segments cannot
 * say: committed offsets, offsets dropped by retention, deleted streams.
 *
 * <h2>Files in the log directory</h2>
 *
 * <ul>
 *   <li>{@code 00000000000000000042.seg}: segment 42 (the number is the segment's sequence, 20
 *       digits, increasing across restarts).
 *   <li>{@code streams.checkpoint}: the checkpoint, replaced atomically (temp file, fsync, rename,
 *       fsync directory).
 *   <li>{@code .lock}: locked while a process has the log open.
 *   <li>{@code *.corrupt}: damaged files set aside by recovery, never read again.
 *   <li>{@code *.seg.free}: freed segments being deleted, never read again (deleted after the next
 *       start if the process stopped first).
 * </ul>
 *
 * <h2>Segment layout</h2>
 *
 * All integers big-endian; "varint" is unsigned LEB128 (7 bits per byte, least significant first,
 * high bit set on every byte but the last).
 *
 * <pre>
 * segment header, 16 bytes
 *   0  u32  magic 0x534C4F47 ("SLOG")
 *   4  u8   format version, 1
 *   5  u8×3 zero
 *   8  i64  segment sequence, equal to the file name's
 * frames, back to back, from offset 16 to the end of the file
 *   0  u32  L: body length, 1 ≤ L ≤ 16 MiB
 *   4  u32  CRC32C of the L body bytes
 *   8  L bytes of body; its first byte is the frame type
 *
 * stream frame (type 1): defines a segment-local stream id, before that stream's first batch frame
 * in the segment; ids are dense from 0 in order of definition
 *   u8      1
 *   varint  local id
 *   varint  key length K (1..1024)
 *   K bytes stream key, UTF-8
 *
 * batch frame (type 2): one appended batch of one stream
 *   u8      2
 *   varint  local id
 *   varint  back link: this frame's position minus the position of the stream's previous batch frame
 *           in this segment; 0 for the stream's first batch frame in the segment
 *   varint  first offset (the stream offset of the first record)
 *   varint  record count N ≥ 1
 *   varint  payload bytes: sum of the N payload lengths
 *   i64     arrival millis: the earliest arrival time in the batch
 *   u8      attributes: bit 0 = records carry their own flags byte; bit 1 = records carry an arrival
 *           delta; other bits zero
 *   varint  arrival span (latest minus earliest arrival)     only if bit 1
 *   u8      flags of every record                              only if bit 0 is clear
 *   N records:
 *     u8      flags                                            only if bit 0
 *     varint  arrival minus the batch's arrival millis         only if bit 1
 *     varint  payload length P
 *     P bytes payload
 * </pre>
 *
 * Overhead: 8 bytes of prefix and about 25 of batch header per batch, plus the payload length varint
 * per record (1 byte under 128 bytes, 2 under 16 KiB); flags and arrival cost nothing when uniform
 * in the batch. 500 records of 1 KiB: 0.2 %; 500 of 100 bytes: 1 %.
 *
 * <h2>Checkpoint layout ({@code streams.checkpoint})</h2>
 *
 * <pre>
 *   u32     magic 0x534C4350 ("SLCP")
 *   u8      version, 1
 *   varint  next segment sequence
 *   varint  live stream count, then per stream:
 *             varint key length, key bytes (UTF-8), varint start offset, varint committed offset
 *   varint  deleted stream count, then per stream:
 *             varint key length, key bytes, varint sequence bound: segments below it may hold the
 *             stream's dead data; the tombstone is dropped once all of them are gone
 *   u32     CRC32C of all the bytes before it
 * </pre>
 *
 * <h2>Durability and recovery</h2>
 *
 * <ul>
 *   <li>A new segment's directory entry is forced when the segment is created; a segment left behind
 *       is forced before it is closed; the active segment is forced once per group (policy {@code
 *       ALWAYS}) or at least every interval ({@code INTERVAL}).
 *   <li>At open every segment is scanned sequentially and every frame's length, CRC and consistency
 *       (defined local id, back link, offsets increasing per stream) are checked; only the headers
 *       are decoded, never the records.
 *   <li>The first bad frame of the newest segment (a torn write) and everything after it are cut off
 *       the file. In an older segment the bad frame and the rest of that segment are skipped and
 *       logged as ERROR, the file is kept as it is, and later segments are used normally; the lost
 *       records leave a gap in their stream's offsets, which readers step over. An older segment with
 *       an unreadable header is renamed {@code .corrupt}.
 *   <li>A damaged checkpoint is renamed {@code .corrupt} and the log starts with nothing committed:
 *       records are delivered again rather than lost.
 *   <li>A write or fsync error fails the whole group, truncates the file back to the group's start
 *       and hands the group's offsets out again, so offsets stay dense and nothing unacknowledged is
 *       ever read.
 * </ul>
 *
 * <h2>Threads and memory</h2>
 *
 * <ul>
 *   <li>One platform thread writes ({@code sluice-log-writer}); one checks retention every ten
 *       seconds ({@code sluice-log-retention}); one deletes freed segments ({@code
 *       sluice-log-reclaimer}). Appenders block on a future (virtual threads welcome); commits and
 *       deletions write the checkpoint on the caller's thread, concurrent ones coalescing into one
 *       write.
 *   <li>Heap does not grow with the records held: per stream and segment about 180 bytes plus 20
 *       bytes per 256 batch frames, so a GiB of 100-byte single-record batches costs well under a
 *       MiB of index. Readers find a stream's frames between two index entries by walking the back
 *       links, so they read only their stream's frames, however many streams share the journal.
 *   <li>The writer holds one direct buffer of 4 MiB (more while a larger frame passes); a reader
 *       holds a 64 KiB window and one frame while it has records to read, nothing once caught up;
 *       the payloads it returns are views of them.
 * </ul>
 *
 * <h2>Freeing space</h2>
 *
 * A sealed segment is deleted when every live stream with data in it has committed (or dropped)
 * past that data, in any order, or when its newest arrival time is older than the retention, oldest
 * segment first. Retention counts, logs and reports the undelivered records it drops; start offsets
 * move past them, and the checkpoint recording that is written before any file is deleted. A freed
 * segment is renamed out of the log at once and then shrunk a few MiB at a time before it is unlinked
 * ({@link io.sluice.log.journal.SegmentReclaimer}: one large unlink stalls every fsync on a disk with
 * online discard).
 */
package io.sluice.log.journal;
