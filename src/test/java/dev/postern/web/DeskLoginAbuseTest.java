package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import dev.postern.vault.Argon2id;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outsider cannot use the desk's login to take the site down or lock a recipient out: dropped
 * logins do not queue Argon2id work in front of sources, and wrong guesses only slow guessing.
 */
class DeskLoginAbuseTest {
    @Test
    void threeHundredDroppedLoginsDoNotDelayARealReport(@TempDir Path dir) throws Exception {
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), new MutableClock())) {
            long b0 = System.nanoTime();
            new Http(instance).submit("news", Map.of("what", "Before the attack"), Map.of()).receipt();
            Duration before = Duration.ofNanos(System.nanoTime() - b0);
            Http attacker = new Http(instance);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                tokens.add(attacker.get("/desk/login").csrf());
            }
            long ranBefore = Argon2id.DESK.ran();
            URI desk = URI.create(instance.deskUrl);
            long attackStart = System.nanoTime();
            for (String token : tokens) {
                String body = "csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&username="
                        + UUID.randomUUID() + "&password=guess-guess-guess&totp=123456";
                String origin = "http://" + desk.getHost() + ":" + desk.getPort();
                String request = "POST /desk/login HTTP/1.1\r\nHost: " + desk.getHost() + ":" + desk.getPort()
                        + "\r\nOrigin: " + origin + "\r\nSec-Fetch-Site: same-origin"
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body;
                try (Socket s = new Socket(desk.getHost(), desk.getPort())) {
                    OutputStream out = s.getOutputStream();
                    out.write(request.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } // closed at once: the attacker never reads an answer
            }
            Duration attack = Duration.ofNanos(System.nanoTime() - attackStart);

            long t0 = System.nanoTime();
            Http.Page receipt = new Http(instance).submit("news", Map.of("what", "A real report"), Map.of());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.printf("300 dropped logins: sent in %d ms; real report took %d ms (%d ms before the attack)%n",
                    attack.toMillis(), took.toMillis(), before.toMillis());

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Argon2id.DESK.load() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50); // waiting for the lane to drain, a real-time bound, not a clock
            }
            long ran = Argon2id.DESK.ran() - ranBefore;
            System.out.printf("300 dropped logins: desk Argon2id ran %d times%n", ran);
            assertThat(receipt.status()).isEqualTo(200);
            assertThat(receipt.receipt()).isNotBlank();
            assertThat(took).as("a real report during the attack").isLessThan(Duration.ofSeconds(5));

            assertThat(ran).as("most dropped logins never reach Argon2id").isLessThan(60);
            assertThat(new Http(instance).loginDesk(instance).status()).as("the desk works after the attack").isEqualTo(303);
        }
    }

    @Test
    void theRightPasswordWorksWithinAMinuteOfTenWrongAttemptsBySomeoneElse(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock();
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), clock)) {
            Http attacker = new Http(instance);
            int wrong = 0;
            int refused = 0;
            while (wrong < 10) {
                Http.Page p = attacker.postForm("/desk/login", "csrf", attacker.get("/desk/login").csrf(),
                        "username", instance.recipient.username(), "password", "wrong password " + wrong, "totp", "000000");
                if (p.status() == 429) {
                    refused++;
                    assertThat(p.body()).containsPattern("Wait \\d+ seconds");
                    clock.advance(Duration.ofSeconds(Long.parseLong(p.header("Retry-After"))));
                } else {
                    assertThat(p.status()).isEqualTo(401);
                    wrong++;
                }
            }
            assertThat(refused).as("guessing was slowed").isPositive();

            Http owner = new Http(instance);
            Http.Page delayed = owner.loginDesk(instance);
            assertThat(delayed.status()).isEqualTo(429);
            long wait = Long.parseLong(delayed.header("Retry-After"));
            assertThat(wait).isLessThanOrEqualTo(60);
            assertThat(delayed.body()).contains("Wait " + wait + " seconds");
            clock.advance(Duration.ofSeconds(wait));
            assertThat(owner.loginDesk(instance).status()).as("no lockout").isEqualTo(303);
        }
    }

    @Test
    void aBrowserThatLoggedInBeforeIsNotDelayedBySomeoneElsesGuessing(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock();
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), clock)) {
            Http owner = new Http(instance);
            assertThat(owner.loginDesk(instance).status()).isEqualTo(303);
            assertThat(owner.cookies()).containsKey(DeskPages.DEVICE_COOKIE);
            owner.postForm("/desk/logout", "csrf", owner.get("/desk").csrf());

            Http attacker = new Http(instance);
            for (int i = 0; i < 30; i++) {
                Http.Page p = attacker.postForm("/desk/login", "csrf", attacker.get("/desk/login").csrf(),
                        "username", instance.recipient.username(), "password", "wrong " + i, "totp", "000000");
                clock.advance(Duration.ofSeconds(2));
                assertThat(p.status()).isIn(401, 429);
            }
            Http.Page stranger = new Http(instance).loginDesk(instance);
            assertThat(stranger.status()).as("a browser without the cookie waits").isEqualTo(429);
            Http.Page known = owner.loginDesk(instance);
            assertThat(known.status()).as("the owner's browser does not").isEqualTo(303);

            // The cookie vouches for its own username only.
            Http thief = new Http(instance);
            thief.cookies().put(DeskPages.DEVICE_COOKIE, owner.cookies().get(DeskPages.DEVICE_COOKIE));
            Http.Page other = thief.postForm("/desk/login", "csrf", thief.get("/desk/login").csrf(),
                    "username", "someone-else", "password", "x", "totp", "000000");
            assertThat(other.status()).isIn(401, 429);
        }
    }
}
