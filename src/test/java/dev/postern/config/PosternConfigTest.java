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
    void secretsNeverPrint() {
        assertThat(new Secret("hunter2").toString()).isEqualTo("[REDACTED]");
    }
}
