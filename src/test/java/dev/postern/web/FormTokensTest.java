package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.MutableClock;
import dev.postern.web.FormTokens.Purpose;
import dev.postern.web.FormTokens.Verdict;
import dev.postern.web.UsedTokens.Outcome;
import dev.postern.web.UsedTokens.TokenId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pre-session form tokens are accepted once, expire, and the memory of spent ones is bounded. */
class FormTokensTest {
    private final MutableClock clock = new MutableClock();
    private final FormTokens tokens = new FormTokens(new byte[32], clock);

    @Test
    void aTokenIsAcceptedOnceUnlessGivenBack() {
        String token = tokens.issue(Purpose.REPORT);
        FormTokens.Check first = tokens.check(Purpose.REPORT, token);
        assertThat(first.verdict()).isEqualTo(Verdict.FRESH);
        assertThat(tokens.check(Purpose.REPORT, token).verdict()).isEqualTo(Verdict.SPENT);
        tokens.giveBack(first);
        assertThat(tokens.check(Purpose.REPORT, token).verdict()).as("nothing was stored: sendable again")
                .isEqualTo(Verdict.FRESH);
        assertThat(tokens.check(Purpose.REPORT, token).verdict()).isEqualTo(Verdict.SPENT);
    }

    @Test
    void loginAndReceiptFormTokensAreSingleUse() {
        String token = tokens.issue();
        assertThat(tokens.check(FormTokens.Purpose.SIGN_IN, token).fresh()).isTrue();
        assertThat(tokens.check(FormTokens.Purpose.SIGN_IN, token).fresh()).as("a replayed login or receipt POST").isFalse();
    }

    @Test
    void tokensIssuedInTheSameSecondDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(tokens.issue(Purpose.REPORT))).isTrue();
        }
    }

    @Test
    void lifetimesFollowThePurpose() {
        String report = tokens.issue(Purpose.REPORT);
        String login = tokens.issue();
        clock.advance(Purpose.SIGN_IN.lifetime().plusSeconds(1));
        assertThat(tokens.check(FormTokens.Purpose.SIGN_IN, login).fresh()).as("login minutes").isFalse();
        assertThat(tokens.check(Purpose.SIGN_IN, login).verdict()).isEqualTo(Verdict.EXPIRED);
        assertThat(tokens.check(Purpose.REPORT, report).verdict()).as("a source may write for hours")
                .isEqualTo(Verdict.FRESH);
        String later = tokens.issue(Purpose.REPORT);
        clock.advance(Purpose.REPORT.lifetime().plusSeconds(1));
        assertThat(tokens.check(Purpose.REPORT, later).verdict()).isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void forgedTamperedAndOtherPurposeTokensAreRefused() {
        assertThat(tokens.check(Purpose.REPORT, null).verdict()).isEqualTo(Verdict.FORGED);
        assertThat(tokens.check(Purpose.REPORT, "").verdict()).isEqualTo(Verdict.FORGED);
        assertThat(tokens.check(Purpose.REPORT, "not base64 !").verdict()).isEqualTo(Verdict.FORGED);
        assertThat(tokens.check(Purpose.SIGN_IN, tokens.issue(Purpose.REPORT)).verdict())
                .as("a report form token does not log in").isEqualTo(Verdict.FORGED);
        assertThat(new FormTokens(new byte[] {1}, clock).check(Purpose.REPORT, tokens.issue(Purpose.REPORT))
                .verdict()).as("another instance's key").isEqualTo(Verdict.FORGED);
        byte[] raw = Base64.getUrlDecoder().decode(tokens.issue(Purpose.REPORT));
        for (int i = 0; i < raw.length; i++) {
            byte[] bad = raw.clone();
            bad[i] ^= 1;
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bad);
            assertThat(tokens.check(Purpose.REPORT, tampered).verdict()).as("bit flipped in byte " + i)
                    .isEqualTo(Verdict.FORGED);
        }
    }

    @Test
    void expiredEntriesLeaveTheStore() {
        InMemoryUsedTokens store = new InMemoryUsedTokens(clock, 1000);
        long expiry = clock.instant().getEpochSecond() + 60;
        for (int i = 0; i < 500; i++) {
            assertThat(store.spend(new TokenId(i, i), expiry)).isEqualTo(Outcome.SPENT_NOW);
        }
        assertThat(store.size()).isEqualTo(500);
        clock.advance(Duration.ofSeconds(61));
        store.spend(new TokenId(-1, -1), clock.instant().getEpochSecond() + 60);
        assertThat(store.size()).isEqualTo(1);
    }

    /**
     * Spending far more tokens than the cap, in random order of expiry: the store never holds more
     * than its cap, a token spent once is never accepted again, and a token newer than everything
     * dropped is still accepted.
     */
    @Test
    void theStoreIsBoundedAndNeverAcceptsATokenTwice() {
        int cap = 200;
        InMemoryUsedTokens store = new InMemoryUsedTokens(clock, cap);
        Random random = new Random(6);
        long now = clock.instant().getEpochSecond();
        record Spent(TokenId id, long expiry) {
        }
        List<Spent> spent = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            TokenId id = new TokenId(random.nextLong(), random.nextLong());
            long expiry = now + 1 + random.nextInt(6 * 3600);
            if (store.spend(id, expiry) == Outcome.SPENT_NOW) {
                spent.add(new Spent(id, expiry));
            }
            assertThat(store.size()).isLessThanOrEqualTo(cap);
            if (i % 97 == 0 && !spent.isEmpty()) {
                Spent again = spent.get(random.nextInt(spent.size()));
                assertThat(store.spend(again.id(), again.expiry())).as("replayed token")
                        .isIn(Outcome.ALREADY_SPENT, Outcome.TOO_OLD);
            }
        }
        assertThat(spent.size()).as("most tokens were accepted").isGreaterThan(cap);
        for (Spent s : spent) {
            assertThat(store.spend(s.id(), s.expiry())).isIn(Outcome.ALREADY_SPENT, Outcome.TOO_OLD);
        }
        assertThat(store.size()).isEqualTo(cap);
        assertThat(store.spend(new TokenId(1, 2), now + 6 * 3600 + 10)).as("a fresh form still works")
                .isEqualTo(Outcome.SPENT_NOW);
    }

    @Test
    void aFullStoreRefusesOnlyTheOldestForms() {
        InMemoryUsedTokens store = new InMemoryUsedTokens(clock, 3);
        long now = clock.instant().getEpochSecond();
        for (int i = 1; i <= 3; i++) {
            assertThat(store.spend(new TokenId(0, i), now + i * 100)).isEqualTo(Outcome.SPENT_NOW);
        }
        assertThat(store.spend(new TokenId(0, 4), now + 400)).isEqualTo(Outcome.SPENT_NOW);
        assertThat(store.spend(new TokenId(0, 1), now + 100)).as("dropped, so refused as too old")
                .isEqualTo(Outcome.TOO_OLD);
        assertThat(store.spend(new TokenId(0, 9), now + 50)).as("older than what was dropped")
                .isEqualTo(Outcome.TOO_OLD);
        assertThat(store.spend(new TokenId(0, 2), now + 200)).isEqualTo(Outcome.ALREADY_SPENT);
        assertThat(store.spend(new TokenId(0, 5), now + 500)).isEqualTo(Outcome.SPENT_NOW);
    }
}
