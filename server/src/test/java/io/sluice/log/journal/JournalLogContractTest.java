package io.sluice.log.journal;

import io.sluice.common.DataSize;
import io.sluice.log.RecordLog;
import io.sluice.log.RecordLogContract;
import java.nio.file.Path;
import java.time.Clock;

/** The log port's contract, kept by the local journal. */
class JournalLogContractTest extends RecordLogContract {
    @Override
    protected RecordLog open(Path directory) throws Exception {
        return JournalLog.open(
                LogConfig.defaults(directory)
                        .withSegmentSize(DataSize.ofMebibytes(1))
                        .withMaxLogSize(DataSize.ofMebibytes(64)),
                Clock.systemUTC(),
                LogListener.NONE);
    }
}
