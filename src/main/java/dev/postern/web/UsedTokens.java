package dev.postern.web;

/**
 * The form tokens already spent, so each pre-session form is accepted once. A token is remembered
 * only until it expires (after that its signature check refuses it anyway), which bounds what is
 * kept by the number of tokens that can be spent within one token lifetime. This one process's
 * memory sits behind this interface so a shared (PostgreSQL) store can follow.
 */
public interface UsedTokens {
    /** What {@link #spend} found. */
    enum Outcome {
        /** Not seen before: now recorded as spent. */
        SPENT_NOW,
        /** Spent before: the form was sent again. */
        ALREADY_SPENT,
        /** The store had to forget tokens this old to stay bounded: treated as expired. */
        TOO_OLD
    }

    /**
     * Records the token {@code id} (unique, unguessable, authenticated by the caller) as spent until
     * {@code expiresAtEpochSecond}.
     */
    Outcome spend(TokenId id, long expiresAtEpochSecond);

    /** Takes back a spend whose request created nothing, so the same form may be sent again. */
    void forget(TokenId id);

    /** The random part of a verified token: 128 bits, as two longs to keep entries small. */
    record TokenId(long high, long low) {
    }
}
