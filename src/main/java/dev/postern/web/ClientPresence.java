package dev.postern.web;

import io.javalin.http.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Whether the client of a request is still there, for services that should drop queued expensive
 * work (Argon2id) once nobody waits for the answer. Services know nothing of HTTP; they get a
 * {@link BooleanSupplier}.
 *
 * <p>Jetty notices a closed connection through a failure of the request (reported to
 * {@link Request#addFailureListener}) or a closed {@link EndPoint}. Where it cannot notice (a
 * request whose body was read to the end and whose connection is not being read), the Argon2id
 * lane's maximum wait is the fallback.
 */
final class ClientPresence {
    private ClientPresence() {
    }

    static BooleanSupplier of(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request == null) {
            return () -> true;
        }
        AtomicBoolean failed = new AtomicBoolean();
        request.addFailureListener(failure -> failed.set(true));
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        return () -> !failed.get() && endPoint.isOpen();
    }
}
