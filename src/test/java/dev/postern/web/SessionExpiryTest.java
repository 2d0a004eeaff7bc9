package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After 30 idle minutes a desk or source session is gone, with the keys it held. */
class SessionExpiryTest {
    @Test
    void idleSessionsEndAfterThirtyMinutesAndActiveOnesDoNot(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock();
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), clock)) {
            String receipt = new Http(instance).submit("news", Map.of("what", "expiry"), Map.of()).receipt();
            Http desk = new Http(instance);
            assertThat(desk.loginDesk(instance).status()).isEqualTo(303);
            Http source = new Http(instance);
            source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", receipt);

            clock.advance(Duration.ofMinutes(29));
            assertThat(desk.get("/desk").status()).isEqualTo(200);
            assertThat(source.get("/conversation").status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(29));
            String csrf = desk.get("/desk").csrf();
            assertThat(source.get("/conversation").status()).as("activity restarts the timer").isEqualTo(200);

            clock.advance(Duration.ofMinutes(31));
            Http.Page expired = desk.get("/desk");
            assertThat(expired.status()).isEqualTo(303);
            assertThat(expired.header("Location")).isEqualTo("/desk/login");
            Http.Page post = desk.postForm("/desk/logout", "csrf", csrf);
            assertThat(post.status()).isEqualTo(401);
            assertThat(post.body()).contains("Your desk session has ended");
            assertThat(source.get("/conversation").status()).isEqualTo(401);
        }
    }
}
