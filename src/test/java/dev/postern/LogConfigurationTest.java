package dev.postern;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log configuration: no evidence-parsing library's warnings, and times to the hour only. */
class LogConfigurationTest {

    private static Properties config() throws Exception {
        Properties p = new Properties();
        try (InputStream in = LogConfigurationTest.class.getResourceAsStream("/simplelogger.properties")) {
            p.load(in);
        }
        return p;
    }

    @Test
    void timestampsCarryTheHourOnly() throws Exception {
        SimpleDateFormat format = new SimpleDateFormat(config().getProperty("org.slf4j.simpleLogger.dateTimeFormat"));
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        String at = format.format(Date.from(Instant.parse("2026-11-25T10:17:42.123Z")));
        assertThat(at).isEqualTo("2026-11-25T10Z").doesNotContain("17").doesNotContain("42");
    }

    @Test
    void evidenceLibrariesWarningsDoNotReachTheLogButOursDo() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String name : new String[] {"org.apache.pdfbox.pdfparser.COSParser", "org.apache.fontbox.ttf.TTFParser",
                    "org.apache.poi.xssf.usermodel.XSSFWorkbook", "org.apache.commons.compress.archivers.zip.ZipFile",
                    "com.twelvemonkeys.imageio.plugins.webp.WebPImageReader", "org.jdbi.v3.core.Jdbi",
                    "org.flywaydb.core.Flyway"}) {
                Logger library = LoggerFactory.getLogger(name);
                library.warn("font 'Secret Witness Name' in evidence is damaged");
                assertThat(library.isWarnEnabled()).as(name).isFalse();
            }
            LoggerFactory.getLogger(Postern.class).warn("a line of our own");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("Secret Witness Name");
        assertThat(log).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d(Z|[+-]\\d\\d(\\d\\d)?) WARN Postern - a line of our own$");
    }
}
