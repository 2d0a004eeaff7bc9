package dev.postern.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian chromium driven by Debian's chromedriver, for the browser tests. Both paths are
 * given explicitly, so Selenium Manager never runs and nothing is downloaded; when either program is
 * missing the calling test is skipped, not failed.
 */
public final class Browsers {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browsers() {
    }

    /** Skips the calling test (or class, from a {@code @BeforeAll}) when chromium is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "); apt-get install chromium chromium-driver");
    }

    /**
     * A fresh headless chromium with JavaScript disabled for every site, its own new profile
     * directory, and downloads saved without asking into {@code downloads}.
     */
    public static ChromeDriver withoutJavaScript(Path profile, Path downloads) {
        return launch(profile, downloads, false);
    }

    /**
     * The same browser with JavaScript on (Tor Browser's "Safer" and "Standard" levels run scripts
     * on onion sites): for the report page's resumable uploads.
     */
    public static ChromeDriver withJavaScript(Path profile, Path downloads) {
        return launch(profile, downloads, true);
    }

    private static ChromeDriver launch(Path profile, Path downloads, boolean javaScript) {
        assumeInstalled();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-US",
                "--user-data-dir=" + profile.toAbsolutePath());
        Map<String, Object> prefs = new HashMap<>();
        if (!javaScript) {
            prefs.put("profile.managed_default_content_settings.javascript", 2);
        }
        prefs.put("intl.accept_languages", "en-US,en");
        prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("download.directory_upgrade", true);
        prefs.put("safebrowsing.enabled", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
