package io.sluice.destination.opensearch;

import static java.util.Objects.requireNonNull;

import io.sluice.common.WireName;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * {@code IndexRotationPeriod}: the part of a record's arrival time, in UTC, appended to
 * {@code IndexName} (delivery spec §9.4). For {@code myindex} and 2016-02-25T13:00:00Z: {@code myindex},
 * {@code myindex-2016-02-25-13}, {@code myindex-2016-02-25}, {@code myindex-2016-w09} (with
 * {@link WeekNumbering#US}), {@code myindex-2016-02}.
 */
public enum IndexRotation implements WireName {
    NO_ROTATION("NoRotation", null),
    ONE_HOUR("OneHour", DateTimeFormatter.ofPattern("yyyy-MM-dd-HH")),
    ONE_DAY("OneDay", DateTimeFormatter.ofPattern("yyyy-MM-dd")),
    ONE_WEEK("OneWeek", null),
    ONE_MONTH("OneMonth", DateTimeFormatter.ofPattern("yyyy-MM"));

    /** AWS's default. */
    public static final IndexRotation DEFAULT = ONE_DAY;

    private final String wireName;
    private final DateTimeFormatter suffix;

    IndexRotation(String wireName, DateTimeFormatter suffix) {
        this.wireName = wireName;
        this.suffix = suffix;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<IndexRotation> fromWire(String text) {
        return WireName.parse(IndexRotation.class, text);
    }

    /** The index a record that arrived at {@code arrival} goes to. */
    public String index(String indexName, Instant arrival, WeekNumbering weeks) {
        requireNonNull(indexName, "indexName is null");
        ZonedDateTime utc = arrival.atZone(ZoneOffset.UTC);
        return switch (this) {
            case NO_ROTATION -> indexName;
            case ONE_WEEK -> indexName + "-" + weeks.label(utc.toLocalDate());
            case ONE_HOUR, ONE_DAY, ONE_MONTH -> indexName + "-" + suffix.format(utc);
        };
    }
}
