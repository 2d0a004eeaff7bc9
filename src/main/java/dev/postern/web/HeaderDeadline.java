package dev.postern.web;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
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
 * <p>A new connection must complete its first request's headers within one deadline; on a kept-alive
 * connection, headers seen half-sent at two checks one deadline apart, with no request completed in
 * between, close it (so a later request gets between one and two deadlines). An idle kept-alive
 * connection is left to the idle timeout, and a request whose headers arrived is never cut here (its
 * body is the minimum data rate's business).
 */
final class HeaderDeadline extends HttpConnectionFactory {
    private final long deadlineMillis;

    HeaderDeadline(HttpConfiguration config, long deadlineMillis) {
        super(config);
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        Connection connection = super.newConnection(connector, endPoint);
        if (connection instanceof HttpConnection http) {
            new Watch(connector.getScheduler(), http).schedule();
        }
        return connection;
    }

    private final class Watch implements Runnable {
        private final Scheduler scheduler;
        private final HttpConnection http;
        private long requestsAtLastCheck;
        private boolean halfSentAtLastCheck;

        Watch(Scheduler scheduler, HttpConnection http) {
            this.scheduler = scheduler;
            this.http = http;
        }

        void schedule() {
            scheduler.schedule(this, deadlineMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            EndPoint endPoint = http.getEndPoint();
            if (!endPoint.isOpen()) {
                return;
            }
            long requests = http.getMessagesIn();
            HttpParser parser = http.getParser();
            boolean waiting = parser.inHeaderState();
            boolean halfSent = waiting && !parser.isStart();
            boolean noProgress = requests == requestsAtLastCheck;
            if (waiting && noProgress && (requests == 0 || halfSent && halfSentAtLastCheck)) {
                endPoint.close();
                return;
            }
            requestsAtLastCheck = requests;
            halfSentAtLastCheck = halfSent;
            schedule();
        }
    }
}
