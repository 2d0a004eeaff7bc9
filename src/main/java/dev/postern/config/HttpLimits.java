package dev.postern.config;

/**
 * Connection limits per listener, so that one anonymous client cannot hold memory, threads or
 * descriptors.
 *
 * @param maxConnections        open connections per listener; beyond it new clients are refused
 * @param idleTimeoutSeconds    a connection that sends and receives nothing this long is closed
 * @param minBytesPerSecond     request bodies slower than this (on average) are cut off
 * @param maxConcurrentRequests requests handled at once per listener; more wait briefly, then are refused
 */
public record HttpLimits(int maxConnections, int idleTimeoutSeconds, int minBytesPerSecond,
                         int maxConcurrentRequests) {
    public static final HttpLimits DEFAULTS = new HttpLimits(2000, 60, 1024, 400);

    public HttpLimits {
        Range.check("http.max-connections", maxConnections, 1, 1_000_000);
        Range.check("http.idle-timeout-seconds", idleTimeoutSeconds, 1, 3600);
        Range.check("http.min-bytes-per-second", minBytesPerSecond, 0, 1 << 30);
        Range.check("http.max-concurrent-requests", maxConcurrentRequests, 1, 1_000_000);
    }
}
