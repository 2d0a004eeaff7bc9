package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password change needs the current password and a code, is throttled like a login, and ends
 * every other session of the recipient; sessions also end at their absolute lifetime.
 */
class PasswordChangeTest {
    private static final String NEW_PASSWORD = "a brand new password 99";

    @Test
    void needsACodeEndsOtherSessionsAndKeepsTheCurrentOne(@TempDir Path dir) throws Exception {
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), new MutableClock())) {
            Http here = new Http(instance);
            Http elsewhere = new Http(instance);
            assertThat(here.loginDesk(instance).status()).isEqualTo(303);
            assertThat(elsewhere.loginDesk(instance).status()).isEqualTo(303);
            String csrf = here.get("/desk/password").csrf();

            Http.Page noCode = here.postForm("/desk/password", "csrf", csrf, "old", instance.recipient.password(),
                    "new", NEW_PASSWORD, "repeat", NEW_PASSWORD, "totp", "");
            assertThat(noCode.status()).isEqualTo(401);
            Http.Page wrongCode = here.postForm("/desk/password", "csrf", csrf, "old", instance.recipient.password(),
                    "new", NEW_PASSWORD, "repeat", NEW_PASSWORD, "totp", "000000");
            assertThat(wrongCode.status()).isEqualTo(401);
            assertThat(elsewhere.get("/desk").status()).as("nothing changed yet").isEqualTo(200);

            Http.Page changed = here.postForm("/desk/password", "csrf", csrf, "old", instance.recipient.password(),
                    "new", NEW_PASSWORD, "repeat", NEW_PASSWORD, "totp", instance.freshTotp());
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.body()).contains("Password changed");
            assertThat(here.get("/desk").status()).as("the current session continues").isEqualTo(200);
            Http.Page other = elsewhere.get("/desk");
            assertThat(other.status()).as("every other session has ended").isEqualTo(303);
            assertThat(other.header("Location")).isEqualTo("/desk/login");

            Http fresh = new Http(instance);
            assertThat(fresh.postForm("/desk/login", "csrf", fresh.get("/desk/login").csrf(), "username",
                    instance.recipient.username(), "password", NEW_PASSWORD, "totp", instance.freshTotp()).status())
                    .isEqualTo(303);
        }
    }

    @Test
    void guessingTheCurrentPasswordIsThrottled(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock();
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), clock)) {
            Http thief = new Http(instance);
            assertThat(thief.loginDesk(instance).status()).isEqualTo(303);
            String csrf = thief.get("/desk/password").csrf();
            int statusAfterGuesses = 0;
            for (int i = 0; i < 6 && statusAfterGuesses != 429; i++) {
                statusAfterGuesses = thief.postForm("/desk/password", "csrf", csrf, "old", "guess number " + i,
                        "new", NEW_PASSWORD, "repeat", NEW_PASSWORD, "totp", "000000").status();
            }
            assertThat(statusAfterGuesses).as("guesses are slowed like logins").isEqualTo(429);
            Http.Page refused = thief.postForm("/desk/password", "csrf", csrf, "old", "another guess",
                    "new", NEW_PASSWORD, "repeat", NEW_PASSWORD, "totp", "000000");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).containsPattern("Wait \\d+ seconds");
            clock.advance(Duration.ofSeconds(Long.parseLong(refused.header("Retry-After"))));
            Http.Page owner = thief.postForm("/desk/password", "csrf", csrf, "old", instance.recipient.password(),
                    "new", NEW_PASSWORD, "repeat", NEW_PASSWORD, "totp", instance.freshTotp());
            assertThat(owner.status()).as("the owner is not locked out").isEqualTo(200);
        }
    }

    @Test
    void sessionsEndAtTheirAbsoluteLifetimeHoweverActive(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock();
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), clock)) {
            String receipt = new Http(instance).submit("news", java.util.Map.of("what", "lifetime"),
                    java.util.Map.of()).receipt();
            Http desk = new Http(instance);
            assertThat(desk.loginDesk(instance).status()).isEqualTo(303);
            Http source = new Http(instance);
            assertThat(source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", receipt).status())
                    .isEqualTo(303);
            Duration step = Duration.ofMinutes(20);
            Duration elapsed = Duration.ZERO;
            while (elapsed.plus(step).compareTo(dev.postern.Postern.SOURCE_SESSION_LIFETIME) < 0) {
                clock.advance(step);
                elapsed = elapsed.plus(step);
                assertThat(source.get("/conversation").status()).isEqualTo(200);
                assertThat(desk.get("/desk").status()).isEqualTo(200);
            }
            clock.advance(dev.postern.Postern.SOURCE_SESSION_LIFETIME.minus(elapsed));
            elapsed = dev.postern.Postern.SOURCE_SESSION_LIFETIME;
            assertThat(source.get("/conversation").status()).as("the source's 4 hours are over").isEqualTo(401);
            assertThat(desk.get("/desk").status()).isEqualTo(200);
            while (elapsed.plus(step).compareTo(dev.postern.Postern.DESK_SESSION_LIFETIME) < 0) {
                clock.advance(step);
                elapsed = elapsed.plus(step);
                assertThat(desk.get("/desk").status()).isEqualTo(200);
            }
            clock.advance(dev.postern.Postern.DESK_SESSION_LIFETIME.minus(elapsed));
            assertThat(desk.get("/desk").status()).as("the desk's 12 hours are over").isEqualTo(303);
        }
    }
}
