package dev.postern.config;

/**
 * Limits of the sanitizer worker processes (native code never runs in the web process).
 *
 * @param workers        sanitized copies made at once; more get a "busy, try again" page
 * @param memoryMib      heap of one worker process
 * @param timeoutSeconds a worker still running after this is killed
 */
public record SanitizerLimits(int workers, int memoryMib, int timeoutSeconds) {
    public static final SanitizerLimits DEFAULTS = new SanitizerLimits(2, 1024, 300);

    public SanitizerLimits {
        Range.check("sanitizer.workers", workers, 1, 256);
        Range.check("sanitizer.memory-mib", memoryMib, 64, 1 << 20);
        Range.check("sanitizer.timeout-seconds", timeoutSeconds, 1, 86_400);
    }
}
