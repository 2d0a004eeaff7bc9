package dev.postern.web;

import dev.postern.intake.IntakeException;
import java.util.concurrent.Semaphore;

/**
 * A cap on requests that are receiving files at once, below the listener's cap on requests. A body
 * that trickles just above the rate floor holds its request for hours; without this cap a few
 * hundred of them would take every request slot and the source pages would answer only "busy";
 * with half of the slots for uploads, pages and receipts keep the other half.
 * A request takes its slot when its first file begins (the text before it is read, so a refusal
 * shows the form again filled in) and gives it back when it ends. One process's memory: a shared
 * implementation is not needed, as the cap protects this process's own threads.
 */
final class UploadSlots {
    private final Semaphore free;

    /** {@code slots}: uploads at once; at least one. */
    UploadSlots(int slots) {
        this.free = new Semaphore(Math.max(1, slots));
    }

    Hold hold() {
        return new Hold();
    }

    /** One request's claim: taken at its first file, given back when the request ends. */
    final class Hold implements AutoCloseable {
        private boolean held;

        /** Takes a slot unless this request holds one already. */
        void take() throws IntakeException {
            if (held) {
                return;
            }
            if (!free.tryAcquire()) {
                throw new IntakeException(IntakeException.Reason.BUSY);
            }
            held = true;
        }

        @Override
        public void close() {
            if (held) {
                held = false;
                free.release();
            }
        }
    }
}
