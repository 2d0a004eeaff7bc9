package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.admin.NewRecipient;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import dev.postern.vault.Totp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every desk route, in-process against a real server. */
class DeskRoutesTest {
    @TempDir
    static Path dir;
    static TestInstance instance;

    @BeforeAll
    static void start() throws Exception {
        instance = TestInstance.start(dir);
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    /** The id of the report whose list line shows {@code headline}. */
    static String reportIdWith(Http desk, String headline) throws Exception {
        String list = desk.get("/desk").body();
        Matcher m = Pattern.compile("href=\"/desk/reports/([0-9a-f]{32})\">[^<]*</a>(?:(?!</tr>).)*"
                + Pattern.quote(headline), Pattern.DOTALL).matcher(list);
        if (!m.find()) {
            throw new AssertionError("no report with " + headline + " in\n" + list);
        }
        return m.group(1);
    }

    @Test
    void deskPagesNeedLoginAndLoginNeedsAllThreeFactors() throws Exception {
        Http anon = new Http(instance);
        Http.Page list = anon.get("/desk");
        assertThat(list.status()).isEqualTo(303);
        assertThat(list.header("Location")).isEqualTo("/desk/login");
        assertThat(anon.get("/desk/reports/" + "a".repeat(32)).status()).isEqualTo(303);
        assertThat(anon.get("/anything-else").status()).as("no desk redirect from the source site").isEqualTo(404);
        Http.Page post = anon.postForm("/desk/reports/" + "a".repeat(32) + "/reply", "text", "x");
        assertThat(post.status()).isEqualTo(401);
        assertThat(post.body()).contains("Your desk session has ended");

        // Login form tokens are single use: every attempt takes the form afresh, as a browser does.
        Http.Page wrongPassword = anon.postForm("/desk/login", "csrf", anon.get("/desk/login").csrf(), "username", "editor",
                "password", "wrong password", "totp", "123456");
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.body()).contains("Wrong username, password or code.");
        Http.Page unknownUser = anon.postForm("/desk/login", "csrf", anon.get("/desk/login").csrf(), "username", "nobody",
                "password", "wrong password", "totp", "123456");
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(unknownUser.body()).contains("Wrong username, password or code.");
        byte[] secret = Totp.fromBase32(instance.recipient.totpSecret());
        String wrongCode = Totp.code(secret, Totp.step(instance.clock.instant()) + 5);
        Http.Page badCode = anon.postForm("/desk/login", "csrf", anon.get("/desk/login").csrf(), "username", "editor",
                "password", instance.recipient.password(), "totp", wrongCode);
        assertThat(badCode.status()).isEqualTo(401);
        assertThat(anon.cookies()).isEmpty();

        String code = instance.freshTotp();
        Http.Page ok = anon.postForm("/desk/login", "csrf", anon.get("/desk/login").csrf(), "username", "editor",
                "password", instance.recipient.password(), "totp", code);
        assertThat(ok.status()).isEqualTo(303);
        assertThat(ok.header("Set-Cookie")).contains("postern_desk=", "HttpOnly", "SameSite=Strict", "Path=/desk");

        Http other = new Http(instance);
        Http.Page reused = other.postForm("/desk/login", "csrf", other.get("/desk/login").csrf(), "username", "editor",
                "password", instance.recipient.password(), "totp", code);
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.body()).contains("This code was already used");

        Http.Page noToken = other.postForm("/desk/login", "username", "editor", "password", "x", "totp", "1");
        assertThat(noToken.status()).isEqualTo(403);
    }

    @Test
    void recipientReadsDownloadsRepliesAndSetsStatus() throws Exception {
        byte[] video = new byte[300_000];
        new Random(7).nextBytes(video);
        new Http(instance).submit("news", Map.of("what", "Desk journey report", "details", "see video"),
                Map.of("clip.mp4", video));
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        Http.Page list = desk.get("/desk");
        assertThat(list.body()).contains("Desk journey report", "class=\"report unread\"");
        assertThat(list.header("Content-Security-Policy")).contains("media-src 'self'");
        String id = reportIdWith(desk, "Desk journey report");

        Http.Page report = desk.get("/desk/reports/" + id);
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.body()).contains("Desk journey report", "see video", "clip.mp4", "293.0 KiB", "<video");
        assertThat(desk.get("/desk").body()).doesNotContain("<span class=\"badge\">new</span> <a href=\"/desk/reports/" + id);

        String fileId = report.body().replaceAll("(?s).*href=\"/desk/reports/" + id + "/files/([0-9a-f]{32})\".*", "$1");
        Http.Page whole = desk.get("/desk/reports/" + id + "/files/" + fileId);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.raw().body()).isEqualTo(video);
        assertThat(whole.header("Content-Disposition")).startsWith("attachment;").contains("clip.mp4");
        assertThat(whole.header("Content-Type")).isEqualTo("video/mp4");
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");

        Http.Page part = desk.get("/desk/reports/" + id + "/files/" + fileId, "Range", "bytes=70000-70999");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 70000-70999/300000");
        assertThat(part.raw().body()).isEqualTo(java.util.Arrays.copyOfRange(video, 70000, 71000));
        Http.Page tail = desk.get("/desk/reports/" + id + "/files/" + fileId, "Range", "bytes=-10");
        assertThat(tail.raw().body()).isEqualTo(java.util.Arrays.copyOfRange(video, 299_990, 300_000));
        Http.Page open = desk.get("/desk/reports/" + id + "/files/" + fileId, "Range", "bytes=299000-");
        assertThat(open.raw().body()).hasSize(1000);
        Http.Page reversed = desk.get("/desk/reports/" + id + "/files/" + fileId, "Range", "bytes=5-3");
        assertThat(reversed.status()).as("an invalid range is ignored").isEqualTo(200);
        Http.Page beyond = desk.get("/desk/reports/" + id + "/files/" + fileId, "Range", "bytes=400000-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */300000");

        assertThat(desk.get("/desk/reports/" + id + "/files/" + "b".repeat(32)).status()).isEqualTo(404);
        assertThat(desk.get("/desk/reports/" + id + "/files/..%2F..%2Fetc").status()).isEqualTo(404);
        assertThat(desk.get("/desk/reports/" + "c".repeat(32)).status()).isEqualTo(404);
        assertThat(desk.get("/desk/reports/not-an-id").status()).isEqualTo(404);

        Http.Page replied = desk.postForm("/desk/reports/" + id + "/reply", "csrf", report.csrf(), "text", "Thank you.");
        assertThat(replied.status()).isEqualTo(303);
        assertThat(desk.postForm("/desk/reports/" + id + "/reply", "csrf", report.csrf(), "text", "  ").status())
                .isEqualTo(400);
        assertThat(desk.postForm("/desk/reports/" + id + "/reply", "csrf", "forged", "text", "x").status())
                .isEqualTo(403);
        Http.Page status = desk.postForm("/desk/reports/" + id + "/status", "csrf", report.csrf(), "status", "IN_PROGRESS",
                "reason", "looking into it");
        assertThat(status.status()).isEqualTo(303);
        Http.Page after = desk.get("/desk/reports/" + id);
        assertThat(after.body()).contains("Thank you.", "<strong id=\"status\">In progress</strong>");
        assertThat(desk.postForm("/desk/reports/" + id + "/status", "csrf", report.csrf(), "status", "BOGUS",
                "reason", "x").status()).isEqualTo(400);

        Http.Page logout = desk.postForm("/desk/logout", "csrf", report.csrf());
        assertThat(logout.status()).isEqualTo(303);
        assertThat(desk.get("/desk").status()).isEqualTo(303);
        assertThat(desk.get("/desk/reports/" + id + "/files/" + fileId).status()).isEqualTo(303);
    }

    private static byte[] jpegWithComment(String comment) throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpg", out);
        byte[] jpeg = out.toByteArray();
        byte[] text = comment.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream withComment = new java.io.ByteArrayOutputStream();
        withComment.write(jpeg, 0, 2); // SOI
        withComment.write(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) ((text.length + 2) >> 8), (byte) (text.length + 2)});
        withComment.write(text);
        withComment.write(jpeg, 2, jpeg.length - 2);
        return withComment.toByteArray();
    }

    @Test
    void sanitizedCopyDropsPlantedMetadataAndRefusesWhatItCannotClean() throws Exception {
        String planted = "Planted-Author-Serial-XK42";
        new Http(instance).submit("news", Map.of("what", "Photo to publish"),
                Map.of("photo.jpg", jpegWithComment(planted), "blob.bin", new byte[] {0, 1, 2, 3, 4, 5, 6, 7}));
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        String id = reportIdWith(desk, "Photo to publish");
        String page = desk.get("/desk/reports/" + id).body();
        assertThat(page).contains("sanitized copy");
        Matcher photo = Pattern.compile("/desk/reports/" + id + "/files/([0-9a-f]{32})\"[^>]*>photo.jpg").matcher(page);
        Matcher blob = Pattern.compile("/desk/reports/" + id + "/files/([0-9a-f]{32})\"[^>]*>blob.bin").matcher(page);
        assertThat(photo.find()).isTrue();
        assertThat(blob.find()).isTrue();
        Http.Page original = desk.get("/desk/reports/" + id + "/files/" + photo.group(1));
        assertThat(new String(original.raw().body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains(planted);

        Http.Page clean = desk.get("/desk/reports/" + id + "/files/" + photo.group(1) + "/sanitized");
        if (dev.postern.desk.RamWorkspace.find().isEmpty()) {
            assertThat(clean.status()).isEqualTo(503);
            return;
        }
        assertThat(clean.status()).isEqualTo(200);
        assertThat(clean.header("Content-Disposition")).startsWith("attachment;").contains("sanitized-photo.jpg");
        assertThat(new String(clean.raw().body(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(planted);
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(clean.raw().body()))).isNotNull();

        Http.Page refused = desk.get("/desk/reports/" + id + "/files/" + blob.group(1) + "/sanitized");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("was NOT sanitized", "blob.bin");
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(Path.of("/dev/shm"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("sanitize-"));
        }
    }

    @Test
    void recipientAddedLaterCannotReadOlderReportsAndOtherOrganizationsSeeNothing() throws Exception {
        new Http(instance).submit("news", Map.of("what", "Before the new colleague"), Map.of());
        NewRecipient late = instance.postern.admin().addRecipient("news", "latecomer", "late password 1234");
        instance.postern.admin().addOrganization("other", "Other Office", "");
        NewRecipient outsider = instance.postern.admin().addRecipient("other", "outsider", "outsider password 1");

        Http lateDesk = new Http(instance);
        assertThat(login(lateDesk, late).status()).isEqualTo(303);
        Http.Page list = lateDesk.get("/desk");
        assertThat(list.body()).contains("Not shared with your key").doesNotContain("Before the new colleague");
        Http editor = new Http(instance);
        editor.loginDesk(instance);
        String id = reportIdWith(editor, "Before the new colleague");
        assertThat(lateDesk.get("/desk/reports/" + id).status()).isEqualTo(403);

        Http outsiderDesk = new Http(instance);
        assertThat(login(outsiderDesk, outsider).status()).isEqualTo(303);
        assertThat(outsiderDesk.get("/desk").body()).contains("No reports yet.");
        assertThat(outsiderDesk.get("/desk/reports/" + id).status()).isEqualTo(404);
    }

    @Test
    void passwordChangeKeepsReportsReadable() throws Exception {
        NewRecipient r = instance.postern.admin().addRecipient("news", "changer", "first password 1234");
        new Http(instance).submit("news", Map.of("what", "Readable after password change"), Map.of());
        Http desk = new Http(instance);
        login(desk, r);
        Http.Page form = desk.get("/desk/password");
        Http.Page mismatch = desk.postForm("/desk/password", "csrf", form.csrf(), "old", "first password 1234",
                "new", "second password 123", "repeat", "different 12345", "totp", freshCode(r));
        assertThat(mismatch.status()).isEqualTo(400);
        Http.Page weak = desk.postForm("/desk/password", "csrf", form.csrf(), "old", "first password 1234",
                "new", "short", "repeat", "short", "totp", freshCode(r));
        assertThat(weak.status()).isEqualTo(400);
        Http.Page wrongOld = desk.postForm("/desk/password", "csrf", form.csrf(), "old", "not it at all",
                "new", "second password 123", "repeat", "second password 123", "totp", freshCode(r));
        assertThat(wrongOld.status()).isEqualTo(401);
        Http.Page changed = desk.postForm("/desk/password", "csrf", form.csrf(), "old", "first password 1234",
                "new", "second password 123", "repeat", "second password 123", "totp", freshCode(r));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).contains("Password changed");

        Http again = new Http(instance);
        NewRecipient renamed = new NewRecipient(r.id(), r.username(), "second password 123", r.totpSecret(), r.totpUri());
        assertThat(login(again, renamed).status()).isEqualTo(303);
        assertThat(again.get("/desk").body()).contains("Readable after password change");
        NewRecipient old = new NewRecipient(r.id(), r.username(), "first password 1234", r.totpSecret(), r.totpUri());
        assertThat(login(new Http(instance), old).status()).isEqualTo(401);
    }

    /** Logs in another recipient, moving the server's clock to a fresh TOTP step if needed. */
    private static final java.util.Map<String, Long> LAST_STEP = new java.util.concurrent.ConcurrentHashMap<>();

    static Http.Page login(Http http, NewRecipient r) throws Exception {
        String code = freshCode(r);
        return http.postForm("/desk/login", "csrf", http.get("/desk/login").csrf(), "username", r.username(),
                "password", r.password(), "totp", code);
    }

    /** A TOTP code of {@code r} not handed out before, moving the server's clock to a fresh step if needed. */
    static String freshCode(NewRecipient r) {
        byte[] secret = Totp.fromBase32(r.totpSecret());
        long step = Totp.step(instance.clock.instant());
        while (step <= LAST_STEP.getOrDefault(r.username(), Long.MIN_VALUE)) {
            ((MutableClock) instance.clock).advance(Duration.ofSeconds(Totp.STEP_SECONDS));
            step = Totp.step(instance.clock.instant());
        }
        LAST_STEP.put(r.username(), step);
        return Totp.code(secret, step);
    }
}
