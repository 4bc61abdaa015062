package io.sluice.api.audit;

/**
 * Where audited calls go, one JSON object per line (see {@link AuditLines}): a rotating file
 * ({@link AuditFile}), a stream such as standard output ({@link AuditPrinter}), or nowhere. Thread-safe.
 */
public interface AuditTrail extends AutoCloseable {
    /** Audits nothing. */
    AuditTrail OFF = new AuditTrail() {
        @Override
        public void record(AuditEvent event) {}

        @Override
        public void close() {}
    };

    /** Writes the event; a failure to write is logged, never thrown at the caller whose call is audited. */
    void record(AuditEvent event);

    @Override
    void close();
}
