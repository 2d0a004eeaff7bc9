package dev.postern.web;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * HTTP/1.1 connections whose request line and headers must arrive within a deadline. Jetty's idle
 * timeout restarts with every byte, so a client that sends one header byte every few seconds
 * ("slowloris", the half-sent GETs of issue 6) would hold its connection and descriptor forever;
 * here it is closed instead, silently (no response, no log line).
 *
 * <p>A new connection must complete its first request's headers within the deadline; on a
 * kept-alive connection, a later request's headers get the deadline from when a check first sees
 * them half-sent (checks run every few seconds). While the connector is at its connection cap the
 * shorter at-cap idle time applies instead. An idle kept-alive connection is left to the idle
 * timeout, and a request whose headers arrived is never cut here (its body is the minimum data
 * rate's business).
 *
 * <p>While the listener is saturated (at its connection cap, or requests queue for a slot under the
 * concurrency cap), every connection's idle timeout is the short at-cap time, so stalled clients
 * give their slots up within seconds; it returns to the normal idle timeout afterwards.
 */
final class HeaderDeadline extends HttpConnectionFactory {
    /** How often each connection is checked. */
    private static final long CHECK_MILLIS = 1000;
    private final long deadlineMillis;
    private final long idleAtCapMillis;
    private final BooleanSupplier requestsQueued;
    /** When a check last saw the listener saturated: the short idle time holds a while after. */
    private volatile long lastSaturated = System.nanoTime() - TimeUnit.HOURS.toNanos(1);

    /**
     * @param deadlineMillis  the time a request's headers may take
     * @param idleAtCapMillis the idle timeout of a connection accepted while the connector is at its
     *                        connection cap ({@code NetworkConnectionLimit} shortens the timeouts of
     *                        connections it knows of when it reaches the cap, but not of the ones
     *                        accepted in the same instant)
     * @param requestsQueued  whether requests wait for a slot under the concurrency cap: the
     *                        listener is saturated too, and idle connections get the at-cap time
     */
    HeaderDeadline(HttpConfiguration config, long deadlineMillis, long idleAtCapMillis,
                   BooleanSupplier requestsQueued) {
        super(config);
        this.deadlineMillis = deadlineMillis;
        this.idleAtCapMillis = idleAtCapMillis;
        this.requestsQueued = requestsQueued;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (connector instanceof AbstractConnector c && !c.isAccepting()) {
            endPoint.setIdleTimeout(Math.min(endPoint.getIdleTimeout(), idleAtCapMillis));
        }
        Connection connection = super.newConnection(connector, endPoint);
        if (connection instanceof HttpConnection http) {
            new Watch(connector.getScheduler(), connector, http).schedule();
        }
        return connection;
    }

    private final class Watch implements Runnable {
        private final Scheduler scheduler;
        private final Connector connector;
        private final HttpConnection http;
        private final long opened = System.nanoTime();
        private long requestsAtLastCheck;
        /** When the current half-sent header was first seen (0: none). */
        private long halfSentSince;

        Watch(Scheduler scheduler, Connector connector, HttpConnection http) {
            this.scheduler = scheduler;
            this.connector = connector;
            this.http = http;
        }

        void schedule() {
            scheduler.schedule(this, Math.min(CHECK_MILLIS, Math.min(deadlineMillis, idleAtCapMillis)),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            EndPoint endPoint = http.getEndPoint();
            if (!endPoint.isOpen()) {
                return;
            }
            long now = System.nanoTime();
            boolean notAccepting = connector instanceof AbstractConnector c && !c.isAccepting();
            if (notAccepting || requestsQueued.getAsBoolean()) {
                lastSaturated = now;
            }
            // Saturated now or a moment ago: a queue that just drained tends to fill again.
            boolean atCap = now - lastSaturated < TimeUnit.MILLISECONDS.toNanos(2 * idleAtCapMillis);
            // Requests that wait on a client sending nothing (a stalled upload) would otherwise
            // hold their request slots for the whole idle timeout while other requests queue:
            // while saturated, every connection gets the short at-cap idle time. Jetty applies an
            // idle timeout only to operations that wait on the client, never to a busy handler.
            if (atCap && endPoint.getIdleTimeout() > idleAtCapMillis) {
                endPoint.setIdleTimeout(idleAtCapMillis);
            } else if (!atCap && endPoint.getIdleTimeout() == idleAtCapMillis
                    && connector.getIdleTimeout() > idleAtCapMillis) {
                endPoint.setIdleTimeout(connector.getIdleTimeout());
            }
            long allowedNanos = TimeUnit.MILLISECONDS.toNanos(atCap ? Math.min(deadlineMillis, idleAtCapMillis)
                    : deadlineMillis);
            long requests = http.getMessagesIn();
            HttpParser parser = http.getParser();
            boolean waiting = parser.inHeaderState();
            boolean late;
            if (requests == 0) {
                // A new connection: its first request's headers are due within the deadline.
                late = waiting && now - opened >= allowedNanos;
            } else {
                boolean halfSent = waiting && !parser.isStart() && requests == requestsAtLastCheck;
                if (!halfSent) {
                    halfSentSince = 0;
                } else if (halfSentSince == 0) {
                    halfSentSince = now;
                }
                late = halfSent && now - halfSentSince >= allowedNanos;
            }
            if (late) {
                endPoint.close();
                return;
            }
            requestsAtLastCheck = requests;
            schedule();
        }
    }
}
