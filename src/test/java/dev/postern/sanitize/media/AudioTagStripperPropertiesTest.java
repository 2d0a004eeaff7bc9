package dev.postern.sanitize.media;

import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Java tag stripper reads hostile container headers: it may decline, never crash or loop. */
class AudioTagStripperPropertiesTest {

    @Provide
    Arbitrary<EvidenceFormat> formats() {
        return Arbitraries.of(EvidenceFormat.WAV, EvidenceFormat.AIFF, EvidenceFormat.FLAC, EvidenceFormat.MP3);
    }

    @Property(tries = 400)
    void randomContainersAreHandledOrDeclined(@ForAll("formats") EvidenceFormat format,
                                              @ForAll @Size(max = 600) byte[] body) throws IOException {
        byte[] magic = switch (format) {
            case WAV -> "RIFF\0\0\0\0WAVE".getBytes();
            case AIFF -> "FORM\0\0\0\0AIFF".getBytes();
            case FLAC -> "fLaC".getBytes();
            default -> "ID3\3\0\0\0\0\0\1".getBytes();
        };
        byte[] b = new byte[magic.length + body.length];
        System.arraycopy(magic, 0, b, 0, magic.length);
        System.arraycopy(body, 0, b, magic.length, body.length);
        Path in = Files.createTempFile("strip-", ".in");
        Path out = Files.createTempFile("strip-", ".out");
        try {
            Files.write(in, b);
            AudioTagStripper.strip(format, in, out, new Findings());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }
}
