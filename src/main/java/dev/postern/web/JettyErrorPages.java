package dev.postern.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The pages Jetty answers with itself, before Javalin runs or outside it: a bad request line, a
 * header too large (400, 414, 431), a refusal when too many requests run at once (503). They carry
 * our security headers and a fixed short text; nothing the client sent (a message, a Host header,
 * a path) is echoed, and nothing is logged.
 */
final class JettyErrorPages extends ErrorHandler {
    private final boolean desk;

    JettyErrorPages(boolean desk) {
        this.desk = desk;
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
        setShowOrigin(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
            response.setStatus(status);
        }
        if (status < 400) {
            status = 500;
            response.setStatus(status);
        }
        HttpFields.Mutable headers = response.getHeaders();
        SecurityHeaders.apply(headers, desk);
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            headers.put(HttpHeader.RETRY_AFTER, "10");
        }
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        headers.put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        byte[] body = page(status);
        headers.put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        // The reason may quote what the client sent: it is dropped.
        SecurityHeaders.apply(fields, desk);
        fields.put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        return ByteBuffer.wrap(page(status));
    }

    /** A fixed page per status, in the three languages of the source site. */
    static byte[] page(int status) {
        String text = switch (status) {
            case 503 -> "The site is busy right now. Nothing you sent before was lost. Please try again in a minute."
                    + "</p><p lang=\"ru\">Сайт сейчас перегружен. Ничего из отправленного ранее не потеряно."
                    + " Попробуйте ещё раз через минуту."
                    + "</p><p lang=\"uk\">Сайт зараз перевантажений. Нічого з надісланого раніше не втрачено."
                    + " Спробуйте ще раз за хвилину.";
            case 408 -> "The request took too long to arrive. Please send it again."
                    + "</p><p lang=\"ru\">Запрос шёл слишком долго. Отправьте его ещё раз."
                    + "</p><p lang=\"uk\">Запит надходив надто довго. Надішліть його ще раз.";
            default -> "The request could not be read. Please open the page again."
                    + "</p><p lang=\"ru\">Запрос не удалось прочитать. Откройте страницу заново."
                    + "</p><p lang=\"uk\">Запит не вдалося прочитати. Відкрийте сторінку знову.";
        };
        return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status
                + "</title><link rel=\"stylesheet\" href=\"/static/postern.css\"></head><body><h1>" + status
                + "</h1><p>" + text + "</p></body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
