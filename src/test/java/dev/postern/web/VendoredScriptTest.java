package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The build-time check of the vendored tus-js-client (decision 0004, section 4): the file served to
 * sources is byte for byte the one bench/vendor-tus.sh makes from the pinned npm tarball, it names no
 * storage on the device, and its license and provenance travel with it.
 */
class VendoredScriptTest {
    static final String VENDORED = "/static/js/tus-js-client-4.3.1.min.js";
    /** Printed by bench/vendor-tus.sh; upstream dist/tus.min.js is 8cbb1b63…070eb8. */
    static final String PATCHED_SHA256 = "ebffcc130c696c46a4c24d44e11b8cfc4cf07ae2ccfacfd1208df99755b18d5e";
    private static final String UPSTREAM_SHA256 = "8cbb1b63fccc3bba0ae73ad1deb160ce046c3750851d0c3e94921ae3ef070eb8";

    @Test
    void theVendoredFileIsThePinnedPatchedOne() throws Exception {
        assertThat(sha256(resource(VENDORED))).isEqualTo(PATCHED_SHA256);
    }

    @Test
    void itNamesNoStorageOnTheDevice() throws Exception {
        String script = new String(resource(VENDORED), StandardCharsets.ISO_8859_1);
        assertThat(script).doesNotContain("localStorage", "tusSupport", "sessionStorage", "indexedDB",
                "document.cookie");
        // The patch kept the library whole: the upload class and the no-op URL storage are there.
        assertThat(script).contains("r.canStoreURLs=n,", "var n=!1", "findUploadsByFingerprint");
    }

    @Test
    void licenseAndProvenanceAreThere() throws Exception {
        String license = new String(resource("/static/js/tus-js-client-4.3.1.LICENSE"), StandardCharsets.UTF_8);
        assertThat(license).contains("The MIT License", "Copyright (c) 2015 tus - Resumable File Uploads");
        for (String bundled : new String[] {"buffer@", "base64-js@", "ieee754@", "js-base64@", "querystringify@",
            "requires-port@", "url-parse@", "regenerator-runtime@"}) {
            assertThat(license).as("license of the bundled " + bundled).contains("\n" + bundled);
        }
        String vendor = new String(resource("/static/js/VENDOR.txt"), StandardCharsets.UTF_8);
        assertThat(vendor).contains("tus-js-client", "4.3.1",
                "https://registry.npmjs.org/tus-js-client/-/tus-js-client-4.3.1.tgz",
                "sha512-ZLeYmjrkaU1fUsKbIi8JML52uAocjEZtBx4DKjRrqzrZa0O4MYwT6db+oqePlspV+FxXJAyFBc/L5gwUi2OFsg==",
                "Upstream SHA-256: " + UPSTREAM_SHA256, "Patched SHA-256:  " + PATCHED_SHA256,
                "+ var n=!1");
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = VendoredScriptTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path + " on the class path").isNotNull();
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
