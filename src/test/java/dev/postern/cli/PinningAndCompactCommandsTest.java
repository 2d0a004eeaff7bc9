package dev.postern.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.postern.config.PosternConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pinning key beside the config, 'serve' without it, 'user pin' and 'compact' from the command line. */
class PinningAndCompactCommandsTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void thePinningKeyLivesBesideTheConfigAndAMissingOneIsNeverReplacedSilently() throws Exception {
        Path data = dir.resolve("data");
        Path config = dir.resolve("etc").resolve("postern.properties");
        CliRun init = run("init", "--data", data.toString(), "--config", config.toString(), "--port", "0", "--desk-port", "0");
        assertThat(init.code()).as(init.err()).isZero();
        Path key = config.getParent().resolve(PosternConfig.PINNING_KEY_FILE);
        assertThat(key).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(data.resolve(PosternConfig.PINNING_KEY_FILE)).doesNotExist();
        assertThat(Files.readString(config)).contains("pinning.key-file=" + key);
        String c = config.toString();
        assertThat(run("org", "add", "--config", c, "--slug", "news", "--name", "News").code()).isZero();
        assertThat(run("user", "add", "--config", c, "--org", "news", "--username", "alice").code()).isZero();

        Files.move(key, dir.resolve("elsewhere.key"));
        CliRun serve = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("serve", "--config", c));
        assertThat(serve.code()).isEqualTo(1);
        assertThat(serve.err()).contains("pinning key file", "is missing", "recipients exist", "user pin");
        assertThat(key).doesNotExist();

        CliRun pin = run("user", "pin", "--config", c, "--username", "alice");
        assertThat(pin.code()).as(pin.err()).isZero();
        assertThat(pin.out()).contains("Username: alice").containsPattern("Public key fingerprint: [0-9a-f]{4}( |  )")
                .contains("Pinned.");
        assertThat(key).isRegularFile();
        assertThat(run("user", "pin", "--config", c, "--username", "alice", "--fingerprint", "abcd").code())
                .isEqualTo(1);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun loose = run("org", "list", "--config", c);
        assertThat(loose.code()).isEqualTo(1);
        assertThat(loose.err()).contains("readable or writable by others");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        CliRun compact = run("compact", "--config", c);
        assertThat(compact.code()).as(compact.err()).isZero();
        assertThat(compact.out()).contains("SHUTDOWN COMPACT");
        assertThat(run("org", "list", "--config", c).out()).contains("news\tNews");
    }
}
