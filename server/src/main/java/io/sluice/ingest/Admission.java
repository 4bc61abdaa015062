package io.sluice.ingest;

/** What the quotas let through of one put request. */
public sealed interface Admission permits Admission.Admitted, Admission.Throttled {
    /** The first {@code records} records of the request may be stored; any after them are throttled. */
    record Admitted(int records) implements Admission {
        public Admitted {
            if (records < 1) {
                throw new IllegalArgumentException("an admission admits at least one record: " + records);
            }
        }
    }

    /** No record of the request may be stored. */
    record Throttled() implements Admission {}

    Throttled THROTTLED = new Throttled();
}
