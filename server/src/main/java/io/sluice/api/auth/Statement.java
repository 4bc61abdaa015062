package io.sluice.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One statement of a key's permissions, in IAM's vocabulary: actions such as {@code firehose:PutRecord}
 * and resources such as {@code arn:aws:firehose:us-east-1:111122223333:deliverystream/orders-*}. Both
 * may hold IAM's wildcards, {@code *} (any run of characters) and {@code ?} (one character); actions
 * match case-insensitively and resources case-sensitively, as in IAM.
 *
 * <p>Written in the configuration as {@code ACTION[,ACTION…] on RESOURCE[,RESOURCE…]} (without
 * {@code on …}, the resource is {@code *}).
 */
public record Statement(List<String> actions, List<String> resources) {
    private static final Pattern ACTION = Pattern.compile("\\*|firehose:[A-Za-z*?]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern RESOURCE =
            Pattern.compile("\\*|arn:aws:firehose:[^:\\s]*:[^:\\s]*:deliverystream/\\S+");

    public Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        if (actions.isEmpty() || resources.isEmpty()) {
            throw new IllegalArgumentException("a statement needs at least one action and one resource");
        }
    }

    /**
     * Parses one statement; {@code knownActions} are the operation names ({@code PutRecord}), so an
     * action without a wildcard that names none of them is refused as a typo.
     */
    public static Statement parse(String text, Set<String> knownActions) {
        requireNonNull(text, "text is null");
        String[] parts = text.trim().split("\\s+on\\s+", -1);
        if (parts.length > 2 || parts[0].isBlank()) {
            throw new IllegalArgumentException(
                    "a statement is 'ACTION[,ACTION...] on RESOURCE[,RESOURCE...]': '" + text.trim() + "'");
        }
        List<String> actions = new ArrayList<>();
        for (String action : words(parts[0])) {
            if (!ACTION.matcher(action).matches()) {
                throw new IllegalArgumentException(
                        "'" + action + "' is not an action like firehose:PutRecord or firehose:*");
            }
            String name = action.equals("*") ? "*" : action.substring("firehose:".length());
            boolean wildcard = name.contains("*") || name.contains("?");
            if (!wildcard && knownActions.stream().noneMatch(known -> known.equalsIgnoreCase(name))) {
                throw new IllegalArgumentException("'" + action + "' is not a Firehose action; known: " + knownActions);
            }
            actions.add(action);
        }
        List<String> resources = parts.length == 2 ? words(parts[1]) : List.of("*");
        for (String resource : resources) {
            if (!RESOURCE.matcher(resource).matches()) {
                throw new IllegalArgumentException("'" + resource + "' is not a resource like"
                        + " arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME (wildcards * and ?) or *");
            }
        }
        return new Statement(actions, resources);
    }

    private static List<String> words(String list) {
        return List.of(list.trim().split("[\\s,]+")).stream()
                .filter(w -> !w.isEmpty())
                .toList();
    }

    /** Whether the statement names {@code action} ({@code firehose:DeleteDeliveryStream}) on any resource. */
    public boolean namesAction(String action) {
        return actions.stream()
                .anyMatch(pattern ->
                        Wildcards.matches(pattern.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)));
    }

    /** Whether the statement covers {@code action} on {@code resource}. */
    public boolean covers(String action, String resource) {
        return namesAction(action) && resources.stream().anyMatch(pattern -> Wildcards.matches(pattern, resource));
    }

    /** Whether the statement covers {@code action} whatever the resource (its resources include {@code *}). */
    public boolean coversEveryResource(String action) {
        return namesAction(action) && resources.contains("*");
    }
}
