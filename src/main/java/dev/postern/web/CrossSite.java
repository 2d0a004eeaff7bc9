package dev.postern.web;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;

/**
 * Refuses form posts that another website made a visitor's browser send (login CSRF and the like),
 * before any form is read. Browsers say where a request comes from in {@code Sec-Fetch-Site}
 * (Tor Browser and every current browser) and {@code Origin}:
 * <ul>
 * <li>{@code Sec-Fetch-Site: cross-site} or {@code same-site} is refused; {@code same-origin} and
 * {@code none} (typed, bookmarked) pass.</li>
 * <li>Without it, an {@code Origin} whose host[:port] is not the request's {@code Host} is refused.
 * The Host header, not the listener's address, is compared: behind a reverse proxy or an onion
 * service it is the public name the browser used.</li>
 * <li>{@code Origin: null} passes: browsers send it for our own same-origin forms because our
 * pages say {@code Referrer-Policy: no-referrer}. A request with neither header (curl, an old
 * browser) passes too. Both still need a valid form token.</li>
 * </ul>
 */
final class CrossSite {
    private CrossSite() {
    }

    static void check(Context ctx) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null) {
            String site = fetchSite.trim().toLowerCase(Locale.ROOT);
            if (site.equals("cross-site") || site.equals("same-site")) {
                throw refused();
            }
            return;
        }
        String origin = ctx.header("Origin");
        if (origin == null || origin.trim().equals("null")) {
            return;
        }
        if (!sameAuthority(origin.trim(), ctx.header("Host"))) {
            throw refused();
        }
    }

    /** Whether an Origin ("scheme://host[:port]") names the same host and port as a Host header. */
    static boolean sameAuthority(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI o;
        URI h;
        try {
            o = new URI(origin);
            h = new URI("http://" + host.trim());
        } catch (Exception e) {
            return false;
        }
        boolean hasPath = o.getRawPath() != null && !o.getRawPath().isEmpty();
        if (o.getScheme() == null || o.getHost() == null || h.getHost() == null || hasPath) {
            return false;
        }
        String scheme = o.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        if (defaultPort < 0) {
            return false;
        }
        int originPort = o.getPort() < 0 ? defaultPort : o.getPort();
        int hostPort = h.getPort() < 0 ? defaultPort : h.getPort();
        return o.getHost().equalsIgnoreCase(h.getHost()) && originPort == hostPort;
    }

    private static WebError refused() {
        return new WebError(403, "error.crossSite");
    }
}
