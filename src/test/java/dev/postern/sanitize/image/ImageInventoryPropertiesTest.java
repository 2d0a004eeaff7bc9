package dev.postern.sanitize.image;

import dev.postern.sanitize.EvidenceFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata inventory parses attacker-controlled structures: it must never throw or loop. */
class ImageInventoryPropertiesTest {

    @Property(tries = 400)
    void inventoryOfRandomBytesNeverThrows(@ForAll @Size(max = 2048) byte[] body,
                                           @ForAll("imageFormats") EvidenceFormat format) {
        byte[] b = withMagic(format, body);
        ImageInventory.Result r = ImageInventory.of(format, b);
        assertThat(r.frames()).isPositive();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<EvidenceFormat> imageFormats() {
        return net.jqwik.api.Arbitraries.of(EvidenceFormat.JPEG, EvidenceFormat.PNG, EvidenceFormat.GIF,
                EvidenceFormat.TIFF, EvidenceFormat.WEBP, EvidenceFormat.BMP);
    }

    @Property(tries = 400)
    void exifOfRandomBytesNeverThrows(@ForAll @Size(max = 1024) byte[] body, @ForAll boolean little) {
        byte[] b = new byte[body.length + 8];
        b[0] = b[1] = (byte) (little ? 'I' : 'M');
        b[little ? 2 : 3] = 42;
        b[little ? 4 : 7] = 8;
        System.arraycopy(body, 0, b, 8, body.length);
        ExifDirectory.Inventory inv = ExifDirectory.read(b, 0, b.length);
        assertThat(inv.tags().size()).isLessThanOrEqualTo(4000);
    }

    private static byte[] withMagic(EvidenceFormat f, byte[] body) {
        byte[] magic = switch (f) {
            case JPEG -> new byte[]{(byte) 0xFF, (byte) 0xD8};
            case PNG -> new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
            case GIF -> "GIF89a".getBytes();
            case TIFF -> new byte[]{'I', 'I', 42, 0};
            case WEBP -> "RIFF\0\0\0\0WEBP".getBytes();
            default -> "BM".getBytes();
        };
        byte[] b = new byte[magic.length + body.length];
        System.arraycopy(magic, 0, b, 0, magic.length);
        System.arraycopy(body, 0, b, magic.length, body.length);
        return b;
    }
}
