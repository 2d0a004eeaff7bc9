package dev.postern.handoff;

import java.util.List;

/**
 * What {@link HandOffCopies#write} did.
 *
 * @param texts      how many text items went
 * @param files      how many file copies went
 * @param leftOut    files that could not be prepared (the sanitizer could not clean them, or they
 *                   are gone), with the reason; they did NOT go
 */
public record HandOffResult(int texts, int files, List<LeftOut> leftOut) {
    public HandOffResult {
        leftOut = List.copyOf(leftOut);
    }

    public record LeftOut(String fileId, String name, String reason) {
    }
}
