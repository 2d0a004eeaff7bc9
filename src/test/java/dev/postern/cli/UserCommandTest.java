package dev.postern.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The colleague verbs of {@code postern user} and {@code postern org settings}, as an operator types
 * them: the first colleague of an organization administers it, disable/enable/reset/role call the
 * same service as the desk, and the last active administrator stays one.
 */
class UserCommandTest {
    @TempDir
    Path dir;

    private String config;

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config;
        return CliRun.of(all);
    }

    private static String secretOf(CliRun run) {
        Matcher m = Pattern.compile("(?m)^TOTP secret: ([A-Z2-7]{32})$").matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        return m.group(1);
    }

    @Test
    void colleaguesAreManagedFromTheCommandLineWithTheDesksRules() {
        Path data = dir.resolve("data");
        assertThat(CliRun.of("init", "--data", data.toString(), "--port", "0", "--desk-port", "0").code()).isZero();
        config = data.resolve("postern.properties").toString();
        assertThat(run("org", "add", "--slug", "news", "--name", "Newsroom").code()).isZero();

        CliRun boss = run("user", "add", "--org", "news", "--username", "boss");
        assertThat(boss.code()).as(boss.err()).isZero();
        assertThat(boss.out()).contains("Role: admin").containsPattern("(?m)^Password: \\S{20,}$");
        CliRun clerk = run("user", "add", "--org", "news", "--username", "clerk", "--display-name", "Clara Clerk");
        assertThat(clerk.code()).as(clerk.err()).isZero();
        assertThat(clerk.out()).contains("Role: recipient");
        CliRun badRole = run("user", "add", "--org", "news", "--username", "x1", "--role", "king");
        assertThat(badRole.code()).isEqualTo(1);
        assertThat(badRole.err()).contains("role must be admin or recipient");

        assertThat(run("user", "list", "--org", "news").out())
                .contains("boss\tadmin\tactive\t", "clerk\trecipient\tactive\tClara Clerk");

        CliRun last = run("user", "disable", "--username", "boss");
        assertThat(last.code()).isEqualTo(1);
        assertThat(last.err()).contains("last active administrator");
        assertThat(run("user", "role", "--username", "boss", "--role", "recipient").err())
                .contains("last active administrator");

        CliRun promoted = run("user", "role", "--username", "clerk", "--role", "ADMIN");
        assertThat(promoted.code()).as(promoted.err()).isZero();
        assertThat(promoted.out()).contains("clerk is now an administrator");
        CliRun disabled = run("user", "disable", "--username", "boss");
        assertThat(disabled.code()).as(disabled.err()).isZero();
        assertThat(disabled.out()).contains("rotated", "when an administrator next logs in to the desk");
        assertThat(run("user", "list", "--org", "news").out()).contains("boss\tadmin\tdisabled\t");
        assertThat(run("user", "disable", "--username", "clerk").code()).as("now clerk is the last one").isEqualTo(1);
        assertThat(run("user", "enable", "--username", "boss").code()).isZero();
        assertThat(run("user", "list", "--org", "news").out()).contains("boss\tadmin\tactive\t");

        String oldSecret = secretOf(clerk);
        CliRun reset = run("user", "reset", "--username", "clerk");
        assertThat(reset.code()).as(reset.err()).isZero();
        assertThat(reset.out()).containsPattern("(?m)^Username: clerk$").containsPattern("(?m)^Password: \\S{20,}$")
                .contains("otpauth://totp/");
        assertThat(secretOf(reset)).isNotEqualTo(oldSecret);
        assertThat(run("user", "reset", "--username", "nobody").err()).contains("no recipient with username");

        CliRun settings = run("org", "settings", "--slug", "news", "--eu-clocks", "true", "--time-zone", "Europe/Kyiv");
        assertThat(settings.code()).as(settings.err()).isZero();
        assertThat(settings.out()).contains("EU clocks: on", "Time zone: Europe/Kyiv", "leave out recipients: no");
        CliRun badZone = run("org", "settings", "--slug", "news", "--time-zone", "Mars/Olympus");
        assertThat(badZone.code()).isEqualTo(1);
        assertThat(badZone.err()).contains("time zone");
        assertThat(run("org", "settings", "--slug", "news").out()).contains("EU clocks: on", "Europe/Kyiv");
    }
}
