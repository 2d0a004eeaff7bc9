package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.config.Secret;
import dev.postern.config.Budgets;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipt checks that reach Argon2id share one global budget (there are no addresses to limit by);
 * only receipts whose tag matches a report spend it, so fakes never do.
 */
class ReceiptRateLimitTest {
    @Test
    void attemptsBeyondTheBudgetWaitForItToRefill(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock();
        PosternConfig config = PosternConfig.embedded(dir, 0).withBudgets(new Budgets(2, Budgets.DEFAULTS.reportsPerHour()));
        try (TestInstance instance = TestInstance.start(config, clock)) {
            String receipt = new Http(instance).submit("news", java.util.Map.of("what", "budget"), java.util.Map.of())
                    .receipt();
            String other = new Http(instance).submit("news", java.util.Map.of("what", "another source"),
                    java.util.Map.of()).receipt();
            Http a = new Http(instance);
            Http b = new Http(instance);
            // Receipt form tokens are single use: each attempt takes its form afresh, as a browser does.
            for (int i = 0; i < 5; i++) {
                assertThat(a.postForm("/return", "csrf", a.get("/return").csrf(), "receipt", String.valueOf(i).repeat(25))
                        .status()).as("fakes are refused and spend nothing").isEqualTo(403);
            }
            // A receipt that opens gives its check back: one genuine receipt posted over and over
            // (an attacker's own) cannot spend the budget of 2 and keep the other source out...
            for (int i = 0; i < 3; i++) {
                assertThat(a.postForm("/return", "csrf", a.get("/return").csrf(), "receipt", receipt).status())
                        .isEqualTo(303);
            }
            // ...it is limited per receipt tag instead: a 4th check of the same receipt within the minute waits.
            Http.Page limited = a.postForm("/return?lang=ru", "csrf", a.get("/return").csrf(), "receipt", receipt);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.body()).contains("Подождите минуту");
            assertThat(b.postForm("/return", "csrf", b.get("/return").csrf(), "receipt", other).status())
                    .as("another source opens meanwhile").isEqualTo(303);
            clock.advance(Duration.ofSeconds(61));
            assertThat(a.postForm("/return", "csrf", a.get("/return").csrf(), "receipt", receipt).status()).isEqualTo(303);
        }
    }

    @Test
    void aFailedAttemptGivesItsTokenBackAndASuccessfulOneSpendsIt(@TempDir Path dir) throws Exception {
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), new MutableClock())) {
            String receipt = new Http(instance).submit("news", java.util.Map.of("what", "tokens"), java.util.Map.of())
                    .receipt();
            Http a = new Http(instance);
            String token = a.get("/return").csrf();
            for (int i = 0; i < 3; i++) {
                Http.Page wrong = a.postForm("/return", "csrf", token, "receipt", "1".repeat(25));
                assertThat(wrong.status()).isEqualTo(403);
                assertThat(wrong.body()).as("the receipt was checked, not the token refused")
                        .contains("This receipt code opens nothing");
            }
            assertThat(a.postForm("/return", "csrf", token, "receipt", receipt).status()).isEqualTo(303);
            Http.Page replay = new Http(instance).postForm("/return", "csrf", token, "receipt", receipt);
            assertThat(replay.status()).as("a token that opened a conversation is spent").isEqualTo(403);
            assertThat(replay.body()).doesNotContain("This receipt code opens nothing");
        }
    }
}
