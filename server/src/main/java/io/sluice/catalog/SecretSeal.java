package io.sluice.catalog;

/**
 * Seals secrets the catalog stores (destination access keys, tokens) so that they are never in clear on
 * disk. A sealed text opens only with the same key and the same {@code context}, which names where the
 * secret belongs (the stream and the member), so a sealed value copied elsewhere does not open.
 */
public interface SecretSeal {
    /** The sealed text of {@code secret}: printable, safe in JSON. */
    String seal(String secret, String context);

    /**
     * The secret {@code sealed} holds.
     *
     * @throws IllegalArgumentException it was not sealed by this key for this context, or is damaged
     */
    String open(String sealed, String context);
}
