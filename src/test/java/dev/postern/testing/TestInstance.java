package dev.postern.testing;

import dev.postern.Postern;
import dev.postern.admin.NewRecipient;
import dev.postern.config.PosternConfig;
import dev.postern.config.UploadLimits;
import dev.postern.vault.Totp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real Postern (embedded H2, real HTTP server on a free loopback port) in the test's JVM, with
 * one organization ("news") and one recipient, its administrator. Tests drive it over HTTP like a browser would.
 */
public final class TestInstance implements AutoCloseable {
    public final Postern postern;
    public final NewRecipient recipient;
    /** The server's clock: TOTP codes, session and token expiry follow it, never the wall clock. */
    public final Clock clock;
    /** The source site. */
    public final String baseUrl;
    /** The desk (a separate listener). */
    public final String deskUrl;
    private long lastStep;

    private TestInstance(Postern postern, NewRecipient recipient, Clock clock) {
        this.postern = postern;
        this.clock = clock;
        this.recipient = recipient;
        this.baseUrl = postern.baseUrl();
        this.deskUrl = postern.deskUrl();
    }

    public static TestInstance start(Path dataDir) throws Exception {
        return start(PosternConfig.embedded(dataDir, 0), new MutableClock());
    }

    public static TestInstance start(Path dataDir, UploadLimits limits) throws Exception {
        return start(PosternConfig.embedded(dataDir, 0).withLimits(limits), new MutableClock());
    }

    public static TestInstance start(PosternConfig config, Clock clock) throws Exception {
        Postern p = Postern.open(config, clock);
        p.admin().addOrganization("news", "The Daily Test", "We publish what matters.\nSupport us.");
        // As 'postern user add' makes it: the organization's first recipient is its administrator.
        NewRecipient r = p.admin().addRecipient("news", "editor", "", null, "correct horse battery staple");
        p.serve();
        return new TestInstance(p, r, clock);
    }

    /**
     * A TOTP code for the recipient that has not been used yet. When this step's code was already
     * handed out, the instance's {@link MutableClock} is moved on to the next 30-second step: no test
     * waits for the wall clock. An instance on another clock gets one code per step and then an error.
     */
    public synchronized String freshTotp() {
        byte[] secret = Totp.fromBase32(recipient.totpSecret());
        long step = Totp.step(clock.instant());
        if (step <= lastStep) {
            if (!(clock instanceof MutableClock movable)) {
                throw new IllegalStateException("a second TOTP code in one step needs the instance on a MutableClock");
            }
            movable.advance(Duration.ofSeconds(Totp.STEP_SECONDS * (lastStep - step + 1)));
            step = Totp.step(clock.instant());
        }
        lastStep = step;
        return Totp.code(secret, step);
    }

    /** The address of a path: desk paths on the desk listener, the rest on the source site. */
    public String url(String path) {
        return (path.startsWith("/desk") ? deskUrl : baseUrl) + path;
    }

    @Override
    public void close() {
        postern.close();
    }
}
