package dev.postern.intake;

/**
 * The instance's budget of receipt checks that reach Argon2id. Behind an interface so a shared
 * (PostgreSQL) implementation can follow {@link ReceiptGate}, which lives in one process's memory.
 */
public interface ReceiptBudget {
    /** Takes one check from the budget; false when it is spent. */
    boolean tryAcquire();

    /** Gives back a check that was taken but not made (the Argon2id lane refused it). */
    void refund();
}
