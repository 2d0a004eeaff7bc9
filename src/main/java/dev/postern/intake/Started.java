package dev.postern.intake;

import dev.postern.vault.Receipt;

/**
 * A report just created (receipt first): the receipt to show once, and the access a source session
 * holds so the source can go on to the report page without typing the receipt.
 */
public record Started(Receipt receipt, SourceAccess access) {
    @Override
    public String toString() {
        return "Started[REDACTED]";
    }
}
