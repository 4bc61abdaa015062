package io.sluice.durability;

import static org.awaitility.Awaitility.await;

import io.sluice.testing.SluiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Rounds of SIGKILL mid-delivery against Sluice child processes on one data directory, for one stream
 * whose records are short texts made from a number. Each round starts Sluice (the first one also
 * creates the stream), puts batches of 50 records from one producer until delivery has made {@link
 * Progress progress}, waits a random moment and kills Sluice; a last Sluice then runs until every
 * acknowledged record has an outcome. The test says what an outcome is: the texts of
 * the records found where they belong in what was delivered (transformed, in their partition, in the
 * error output...); it may throw an {@link AssertionError} as soon as it finds a record where it does
 * not belong. Every process started is killed, whatever fails.
 *
 * @param start starts Sluice on the test's data directory
 * @param kill SIGKILL to Sluice and to whatever it started; called again for a process already killed
 * @param create creates {@code stream} in the first round
 * @param record the text of record {@code n}
 * @param outcomes the texts of the records that have an outcome so far
 */
record KillRounds(
        String stream,
        Supplier<SluiceProcess> start,
        Consumer<SluiceProcess> kill,
        Consumer<FirehoseClient> create,
        IntFunction<String> record,
        Callable<Set<String>> outcomes) {
    /** What delivery must have done in a round before the kill. */
    enum Progress {
        /** 300 more records have an outcome than when the round began, whichever round put them. */
        ANY_RECORDS,
        /**
         * 300 of the records acknowledged in this round have an outcome: the kill comes while the
         * round's own records are being delivered, not only the previous round's (which come first).
         */
        OWN_RECORDS
    }

    private static final int ROUNDS = 3;
    private static final int BATCH = 50;
    private static final int PROGRESS = 300;
    /** Records of round {@code r} are numbered from {@code r * NUMBERS} on. */
    private static final int NUMBERS = 1_000_000;

    /**
     * Runs the rounds, each kill at a moment drawn from {@code seed} within {@code spread} after the
     * {@code progress}; returns the texts of the acknowledged records.
     */
    Set<String> run(long seed, Progress progress, Duration spread) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Random moments = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            killMidDelivery(round, progress, moments.nextInt(Math.toIntExact(spread.toMillis())), acknowledged);
        }
        if (acknowledged.isEmpty()) {
            throw new AssertionError("no record was acknowledged");
        }
        SluiceProcess sluice = start.get();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> withoutOutcome(acknowledged).isEmpty());
        } catch (ConditionTimeoutException e) {
            Set<String> missing = withoutOutcome(acknowledged);
            throw new AssertionError(
                    missing.size() + " of " + acknowledged.size()
                            + " acknowledged records have no outcome, among them "
                            + missing.stream().sorted().limit(10).toList(),
                    e);
        } finally {
            kill.accept(sluice);
        }
        return acknowledged;
    }

    private Set<String> withoutOutcome(Set<String> acknowledged) throws Exception {
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(outcomes.call());
        return missing;
    }

    private void killMidDelivery(int round, Progress progress, int moment, Set<String> acknowledged) throws Exception {
        SluiceProcess sluice = start.get();
        FirehoseClient firehose = sluice.client();
        AtomicBoolean putting = new AtomicBoolean(true);
        Set<String> thisRound = ConcurrentHashMap.newKeySet();
        Thread producer = null;
        try {
            if (round == 0) {
                create.accept(firehose);
            }
            int before = outcomes.call().size();
            producer = Thread.ofVirtual().start(() -> put(firehose, round * NUMBERS, putting, thisRound));
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> switch (progress) {
                        case ANY_RECORDS -> outcomes.call().size() >= before + PROGRESS;
                        case OWN_RECORDS ->
                            outcomes.call().stream().filter(thisRound::contains).count() >= PROGRESS;
                    });
            Thread.sleep(moment);
        } finally {
            kill.accept(sluice);
            putting.set(false);
            if (producer != null) {
                producer.join(Duration.ofSeconds(30));
            }
            firehose.close();
            acknowledged.addAll(thisRound);
        }
    }

    /** Puts batches of records from number {@code first} on until told to stop or Sluice is gone. */
    private void put(FirehoseClient firehose, int first, AtomicBoolean putting, Set<String> acknowledged) {
        int n = first;
        while (putting.get()) {
            List<String> texts = new ArrayList<>();
            List<Record> records = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String text = record.apply(n++);
                texts.add(text);
                records.add(Record.builder().data(SdkBytes.fromUtf8String(text)).build());
            }
            try {
                PutRecordBatchResponse response = firehose.putRecordBatch(
                        b -> b.deliveryStreamName(stream).records(records));
                for (int i = 0; i < texts.size(); i++) {
                    if (response.requestResponses().get(i).errorCode() == null) {
                        acknowledged.add(texts.get(i));
                    }
                }
            } catch (RuntimeException killed) {
                return;
            }
        }
    }
}
