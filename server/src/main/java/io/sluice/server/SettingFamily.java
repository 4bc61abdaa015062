package io.sluice.server;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.TreeSet;

/**
 * Settings named {@code <name>.<instance>.<member>}, one group of members for every instance the
 * operator names: {@code s3-bucket.logs.endpoint} is member {@code endpoint} of instance {@code logs}.
 * The instance may contain dots (bucket names do); the member is what follows the last one.
 * {@code instanceNoun} names the instance in messages ({@code s3-bucket.<bucket>.endpoint}).
 */
record SettingFamily(String name, String instanceNoun, Set<String> members) {
    SettingFamily {
        requireNonNull(name, "name is null");
        requireNonNull(instanceNoun, "instanceNoun is null");
        members = Set.copyOf(members);
    }

    /** Whether {@code setting} is in this family's name space, known member or not. */
    boolean covers(String setting) {
        return setting.startsWith(name + ".");
    }

    /** Whether {@code setting} is a known member of a named instance of this family. */
    boolean accepts(String setting) {
        if (!covers(setting)) {
            return false;
        }
        int dot = setting.lastIndexOf('.');
        return dot > name.length() + 1 && members.contains(setting.substring(dot + 1));
    }

    /** The instance an {@linkplain #accepts accepted} setting belongs to. */
    String instanceOf(String setting) {
        if (!accepts(setting)) {
            throw new IllegalArgumentException("not a setting of " + this + ": " + setting);
        }
        return setting.substring(name.length() + 1, setting.lastIndexOf('.'));
    }

    /** The name of one member of one instance. */
    String setting(String instance, String member) {
        if (!members.contains(member)) {
            throw new IllegalArgumentException("no member '" + member + "' in " + this);
        }
        return name + "." + instance + "." + member;
    }

    /** The family's form, for messages: {@code s3-role.<label>.{access-key,arn,secret-key}}. */
    @Override
    public String toString() {
        return name + ".<" + instanceNoun + ">.{" + String.join(",", new TreeSet<>(members)) + "}";
    }
}
