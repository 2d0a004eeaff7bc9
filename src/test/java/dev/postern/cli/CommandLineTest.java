package dev.postern.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI runs the same services as the web layer; errors are clear and exit codes meaningful. */
class CommandLineTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpIsEverywhere() {
        assertThat(run("--help").out()).contains("demo", "init", "serve", "org", "user");
        for (String[] cmd : new String[][] {{"demo", "--help"}, {"init", "--help"}, {"serve", "--help"},
                {"org", "add", "--help"}, {"user", "add", "--help"}, {"totp", "--help"}}) {
            CliRun r = run(cmd);
            assertThat(r.code()).as(String.join(" ", cmd)).isZero();
            assertThat(r.out()).contains("Usage:");
        }
    }

    @Test
    void initOrgAndUserMakeARealDeployment() throws Exception {
        Path data = dir.resolve("data");
        CliRun init = run("init", "--data", data.toString(), "--port", "9123");
        assertThat(init.code()).as(init.err()).isZero();
        Path config = data.resolve("postern.properties");
        assertThat(Files.readString(config)).contains("http.port=9123", "data.dir=" + data.toAbsolutePath());
        assertThat(run("init", "--data", data.toString()).code()).isEqualTo(1);

        CliRun org = run("org", "add", "--config", config.toString(), "--slug", "news", "--name", "Newsroom",
                "--notice", "Who we are");
        assertThat(org.code()).as(org.err()).isZero();
        assertThat(org.out()).contains("/o/news");
        CliRun dup = run("org", "add", "--config", config.toString(), "--slug", "news", "--name", "Again");
        assertThat(dup.code()).isEqualTo(1);
        assertThat(dup.err()).contains("already exists");
        CliRun badSlug = run("org", "add", "--config", config.toString(), "--slug", "Bad Slug!", "--name", "X");
        assertThat(badSlug.code()).isEqualTo(1);
        assertThat(badSlug.err()).contains("slug must be");

        CliRun user = run("user", "add", "--config", config.toString(), "--org", "news", "--username", "alice");
        assertThat(user.code()).as(user.err()).isZero();
        assertThat(user.out()).containsPattern("(?m)^Username: alice$").containsPattern("(?m)^Password: \\S{20,}$")
                .containsPattern("(?m)^TOTP secret: [A-Z2-7]{32}$").contains("otpauth://totp/");
        CliRun noOrg = run("user", "add", "--config", config.toString(), "--org", "nobody", "--username", "bob");
        assertThat(noOrg.code()).isEqualTo(1);
        assertThat(noOrg.err()).contains("no organization");
        CliRun notice = run("org", "notice", "--config", config.toString(), "--slug", "news", "--notice", "New text");
        assertThat(notice.code()).isZero();
        assertThat(run("org", "list", "--config", config.toString()).out()).contains("news\tNewsroom");
    }

    @Test
    void missingConfigAndBadUsageGiveClearErrorsAndExitCodes() throws Exception {
        CliRun missing = run("serve", "--config", dir.resolve("nope.properties").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no config file");
        CliRun usage = run("org", "add", "--slug", "x");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required option");
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "data.dir=x\nhttp.port=eighty\n");
        CliRun badValue = run("org", "list", "--config", bad.toString());
        assertThat(badValue.code()).isEqualTo(1);
        assertThat(badValue.err()).contains("http.port must be a whole number");
        Files.writeString(bad, "data.dir=x\nhttp.prot=80\n");
        assertThat(run("org", "list", "--config", bad.toString()).err()).contains("unknown setting(s)", "http.prot");
    }

    @Test
    void aDemoDirectoryNeverBecomesARealDeployment() throws Exception {
        Path demo = Files.createDirectories(dir.resolve("demo"));
        Files.writeString(demo.resolve("DEMO-CREDENTIALS"), "Password: x\n");
        CliRun init = run("init", "--data", demo.toString());
        assertThat(init.code()).isEqualTo(1);
        assertThat(init.err()).contains("already holds an instance");
        Path config = dir.resolve("demo.properties");
        Files.writeString(config, "data.dir=demo\n");
        CliRun serve = run("serve", "--config", config.toString());
        assertThat(serve.code()).isEqualTo(1);
        assertThat(serve.err()).contains("is a demo directory");
    }

    @Test
    void totpPrintsSixDigits() {
        assertThat(run("totp", "--secret", "MZXW6YTBOI").out().trim()).matches("[0-9]{6}");
    }
}
