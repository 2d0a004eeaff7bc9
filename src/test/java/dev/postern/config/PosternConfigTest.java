package dev.postern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosternConfigTest {
    @TempDir
    Path dir;

    @Test
    void propertiesRoundTripAndRelativeDataDirIsResolvedAgainstTheFile() throws Exception {
        PosternConfig c = PosternConfig.embedded(dir.resolve("d"), 8181);
        Path file = dir.resolve("postern.properties");
        Files.writeString(file, c.toProperties());
        assertThat(PosternConfig.load(file)).isEqualTo(c);
        Files.writeString(file, "data.dir=rel\ndatabase.password=s3cret\nhttp.secure-cookies=true\n");
        PosternConfig loaded = PosternConfig.load(file);
        assertThat(loaded.dataDir()).isEqualTo(dir.resolve("rel").toAbsolutePath());
        assertThat(loaded.secureCookies()).isTrue();
        assertThat(loaded.limits()).isEqualTo(UploadLimits.DEFAULTS);
        assertThat(loaded.toString()).doesNotContain("s3cret").contains("[REDACTED]");
        assertThat(loaded.databasePassword().reveal()).isEqualTo("s3cret");
    }

    @Test
    void invalidValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> PosternConfig.embedded(dir, 70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> new UploadLimits(10, 5, 1)).hasMessageContaining("limits.file-bytes");
        assertThatThrownBy(() -> PosternConfig.embedded(dir, 80).withDatabase("jdbc:mysql://x", "", new Secret("")))
                .hasMessageContaining("database.url");
    }

    @Test
    void numbersOutOfRangeAreRefusedAfterParsingNotNarrowed() throws Exception {
        Path file = dir.resolve("p.properties");
        Files.writeString(file, "data.dir=d\nhttp.port=4294975376\n");
        assertThatThrownBy(() -> PosternConfig.load(file)).hasMessageContaining("http.port");
        Files.writeString(file, "data.dir=d\nlimits.files-per-submission=4294967297\n");
        assertThatThrownBy(() -> PosternConfig.load(file)).hasMessageContaining("limits.files-per-submission");
        Files.writeString(file, "data.dir=d\ndesk.port=-1\n");
        assertThatThrownBy(() -> PosternConfig.load(file)).hasMessageContaining("desk.port");
        Files.writeString(file, "data.dir=d\nhttp.secure-cookies=yes\n");
        assertThatThrownBy(() -> PosternConfig.load(file)).hasMessageContaining("http.secure-cookies");
        Files.writeString(file, "data.dir=d\nsanitizer.memory-mib=1\n");
        assertThatThrownBy(() -> PosternConfig.load(file)).hasMessageContaining("sanitizer.memory-mib");
        Files.writeString(file, "data.dir=d\nhttp.port=9000\ndesk.port=9000\n");
        assertThatThrownBy(() -> PosternConfig.load(file)).hasMessageContaining("desk.port");
    }

    @Test
    void defaultLimitsAreFourAndSixteenGibibytes() {
        assertThat(UploadLimits.DEFAULTS.fileBytes()).isEqualTo(4L << 30);
        assertThat(UploadLimits.DEFAULTS.reportBytes()).isEqualTo(16L << 30);
    }

    @Test
    void resumableUploadSettingsDefaultToADayAndSixteenOpenUploads() throws Exception {
        assertThat(ResumeLimits.DEFAULTS).isEqualTo(new ResumeLimits(24, 24, 30, 16, 2));
        assertThat(PosternConfig.embedded(dir, 8181).resume()).isEqualTo(ResumeLimits.DEFAULTS);
        Path file = dir.resolve("p.properties");
        Files.writeString(file, "data.dir=d\n");
        assertThat(PosternConfig.load(file).resume()).isEqualTo(ResumeLimits.DEFAULTS);
    }

    @Test
    void resumableUploadSettingsRoundTripThroughTheFile() throws Exception {
        // every value differs from its default and from the others, so a swapped key cannot pass
        ResumeLimits custom = new ResumeLimits(48, 6, 90, 3, 5);
        PosternConfig c = PosternConfig.embedded(dir.resolve("d"), 8181).withResume(custom);
        Path file = dir.resolve("postern.properties");
        Files.writeString(file, c.toProperties());
        assertThat(Files.readString(file)).contains("uploads.expire-hours=48\n", "uploads.empty-report-hours=6\n",
                "uploads.checkpoint-seconds=90\n", "uploads.open-per-report=3\n", "uploads.finishers=5\n");
        PosternConfig loaded = PosternConfig.load(file);
        assertThat(loaded.resume()).isEqualTo(custom);
        assertThat(loaded).isEqualTo(c);
        Files.writeString(file, "data.dir=d\nuploads.expire-hours=1\nuploads.open-per-report=10000\n");
        assertThat(PosternConfig.load(file).resume())
                .isEqualTo(new ResumeLimits(1, 24, 30, 10_000, 2));
    }

    @Test
    void resumableUploadSettingsOutOfRangeAreRefusedWithTheirName() throws Exception {
        Path file = dir.resolve("p.properties");
        String[][] bad = {
            {"uploads.expire-hours", "0"}, {"uploads.expire-hours", "8761"},
            {"uploads.empty-report-hours", "0"}, {"uploads.empty-report-hours", "-24"},
            {"uploads.checkpoint-seconds", "0"}, {"uploads.checkpoint-seconds", "3601"},
            {"uploads.open-per-report", "0"}, {"uploads.open-per-report", "10001"},
            {"uploads.finishers", "0"}, {"uploads.finishers", "257"},
            {"uploads.open-per-report", "4294967312"}, {"uploads.finishers", "two"},
        };
        for (String[] setting : bad) {
            Files.writeString(file, "data.dir=d\n" + setting[0] + "=" + setting[1] + "\n");
            assertThatThrownBy(() -> PosternConfig.load(file))
                    .as(setting[0] + "=" + setting[1])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(setting[0]);
        }
        assertThatThrownBy(() -> new ResumeLimits(24, 24, 30, 0, 2)).hasMessageContaining("uploads.open-per-report");
        assertThatThrownBy(() -> new ResumeLimits(0, 24, 30, 16, 2)).hasMessageContaining("uploads.expire-hours");
        assertThatThrownBy(() -> new ResumeLimits(24, 24, 30, 16, 0)).hasMessageContaining("uploads.finishers");
        Files.writeString(file, "data.dir=d\nuploads.expire-hour=24\n");
        assertThatThrownBy(() -> PosternConfig.load(file)).hasMessageContaining("uploads.expire-hour");
    }

    @Test
    void secretsNeverPrint() {
        assertThat(new Secret("hunter2").toString()).isEqualTo("[REDACTED]");
    }
}
