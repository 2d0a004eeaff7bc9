package dev.postern.sanitize.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The Java tag stripper reads hostile container headers. Random containers: it declines or writes a
 * well-formed copy of the same format made only of audio structure taken from the input, always in
 * bounded time. Well-formed containers with planted tags: it accepts them, and the copy is exactly
 * the audio structure of the input (built here independently) with no planted value left.
 */
class AudioTagStripperPropertiesTest {
    /** Planted in every tag; never produced by the audio parts. */
    private static final byte[] PLANTED = "PLANTED-TAG-VALUE-4f1c".getBytes(StandardCharsets.US_ASCII);
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final Set<String> WAV_AUDIO = Set.of("fmt ", "data", "fact");
    private static final Set<String> AIFF_AUDIO = Set.of("COMM", "SSND", "FVER");

    @Provide
    Arbitrary<EvidenceFormat> formats() {
        return Arbitraries.of(EvidenceFormat.WAV, EvidenceFormat.AIFF, EvidenceFormat.FLAC, EvidenceFormat.MP3);
    }

    /** What the stripper did with one input: whether it accepted it, its copy, what it reported. */
    private record Outcome(boolean accepted, byte[] copy, List<String> removed) {
    }

    private static Outcome strip(EvidenceFormat format, byte[] input) throws IOException {
        Path in = Files.createTempFile("strip-", ".in");
        Path out = Files.createTempFile("strip-", ".out");
        try {
            Files.write(in, input);
            Findings findings = new Findings();
            boolean accepted = assertTimeoutPreemptively(LIMIT, () -> AudioTagStripper.strip(format, in, out, findings),
                    "the stripper must not loop on a hostile header");
            return new Outcome(accepted, Files.readAllBytes(out), findings.removed());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    @Property(tries = 400)
    void randomContainersAreDeclinedOrCopiedAsWellFormedAudio(@ForAll("formats") EvidenceFormat format,
                                                             @ForAll @Size(max = 600) byte[] body) throws IOException {
        byte[] magic = switch (format) {
            case WAV -> "RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.US_ASCII);
            case AIFF -> "FORM\0\0\0\0AIFF".getBytes(StandardCharsets.US_ASCII);
            case FLAC -> "fLaC".getBytes(StandardCharsets.US_ASCII);
            default -> "ID3\3\0\0\0\0\0\1".getBytes(StandardCharsets.US_ASCII);
        };
        byte[] input = concat(magic, body);
        Outcome o = strip(format, input);
        if (o.accepted()) {
            assertWellFormedCopy(format, input, o.copy());
        }
    }

    /** Random chunk sequences that are valid containers: accepted, and only the audio survives. */
    @Property(tries = 200)
    void plantedTagsAreRemovedAndTheAudioIsKeptExactly(
            @ForAll("formats") EvidenceFormat format,
            @ForAll @Size(min = 1, max = 3) List<@Size(min = 1, max = 300) byte[]> audio,
            @ForAll @Size(max = 5) List<@IntRange(min = 0, max = 99) Integer> tags,
            @ForAll @IntRange(min = 0, max = 7) int tagPadding) throws IOException {
        Built built = switch (format) {
            case WAV -> wav(audio, tags, tagPadding);
            case AIFF -> aiff(audio, tags, tagPadding);
            case FLAC -> flac(audio, tags, tagPadding);
            default -> mp3(audio, tags, tagPadding);
        };
        assertThat(indexOf(built.input(), PLANTED) >= 0).as("the generator planted its tags").isEqualTo(built.tagged());
        Outcome o = strip(format, built.input());
        assertThat(o.accepted()).as("a well-formed %s is stripped in Java", format).isTrue();
        assertThat(indexOf(o.copy(), PLANTED)).as("planted tag value left in the copy").isEqualTo(-1);
        assertThat(o.copy()).as("the copy is the input's audio structure, nothing more or less").isEqualTo(built.expected());
        assertWellFormedCopy(format, built.input(), o.copy());
        if (built.tagged()) {
            assertThat(o.removed()).as("what was removed is reported").isNotEmpty();
        }
    }

    // --- well-formed containers built here, with what their copy must be ---------------------------

    /** An input container, the copy expected from it, and whether it carries planted tags. */
    private record Built(byte[] input, byte[] expected, boolean tagged) {
    }

    /** A tag payload: the planted value, made odd or even in length by {@code padding}. */
    private static byte[] tagPayload(int padding) {
        return concat(PLANTED, new byte[padding]);
    }

    /** Where each tag goes among {@code slots} positions, in order. */
    private static List<List<Integer>> tagsBySlot(List<Integer> tags, int slots) {
        List<List<Integer>> bySlot = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            bySlot.add(new ArrayList<>());
        }
        for (int t : tags) {
            bySlot.get(t % slots).add(t / slots);
        }
        return bySlot;
    }

    private static byte[] chunk(String id, byte[] payload, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length + (payload.length & 1)).order(order);
        b.put(id.getBytes(StandardCharsets.ISO_8859_1)).putInt(payload.length).put(payload);
        return b.array();
    }

    private static Built riffLike(String form, String kind, ByteOrder order, List<byte[]> kept, List<Integer> tags,
                                  String[] tagIds, int padding) {
        // Tags go before, between and after the audio chunks.
        List<List<Integer>> bySlot = tagsBySlot(tags, kept.size() + 1);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream keptBytes = new ByteArrayOutputStream();
        for (int slot = 0; slot <= kept.size(); slot++) {
            for (int t : bySlot.get(slot)) {
                String id = tagIds[t % tagIds.length];
                byte[] payload = id.equals("LIST") ? concat("INFO".getBytes(StandardCharsets.US_ASCII),
                        chunk("INAM", tagPayload(padding), order)) : tagPayload(padding);
                in.writeBytes(chunk(id, payload, order));
            }
            if (slot < kept.size()) {
                in.writeBytes(kept.get(slot));
                keptBytes.writeBytes(kept.get(slot));
            }
        }
        return new Built(container(form, kind, order, in.toByteArray()), container(form, kind, order, keptBytes.toByteArray()),
                !tags.isEmpty());
    }

    private static byte[] container(String form, String kind, ByteOrder order, byte[] chunks) {
        ByteBuffer b = ByteBuffer.allocate(12 + chunks.length).order(order);
        b.put(form.getBytes(StandardCharsets.US_ASCII)).putInt(4 + chunks.length)
                .put(kind.getBytes(StandardCharsets.US_ASCII)).put(chunks);
        return b.array();
    }

    private static Built wav(List<byte[]> audio, List<Integer> tags, int padding) {
        List<byte[]> kept = new ArrayList<>();
        kept.add(chunk("fmt ", Arrays.copyOf(audio.get(0), 16), ByteOrder.LITTLE_ENDIAN));
        for (byte[] a : audio) {
            kept.add(chunk("data", a, ByteOrder.LITTLE_ENDIAN));
        }
        return riffLike("RIFF", "WAVE", ByteOrder.LITTLE_ENDIAN, kept, tags,
                new String[] {"LIST", "bext", "iXML", "id3 ", "_PMX", "zzzz"}, padding);
    }

    private static Built aiff(List<byte[]> audio, List<Integer> tags, int padding) {
        List<byte[]> kept = new ArrayList<>();
        kept.add(chunk("COMM", Arrays.copyOf(audio.get(0), 18), ByteOrder.BIG_ENDIAN));
        for (byte[] a : audio) {
            kept.add(chunk("SSND", a, ByteOrder.BIG_ENDIAN));
        }
        return riffLike("FORM", "AIFF", ByteOrder.BIG_ENDIAN, kept, tags,
                new String[] {"NAME", "AUTH", "(c) ", "ANNO", "COMT", "ID3 ", "APPL"}, padding);
    }

    private static byte[] flacBlock(boolean last, int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.put((byte) ((last ? 0x80 : 0) | type)).put((byte) (payload.length >> 16)).put((byte) (payload.length >> 8))
                .put((byte) payload.length).put(payload);
        return b.array();
    }

    private static byte[] vorbisComment(int padding) {
        byte[] field = concat("ARTIST=".getBytes(StandardCharsets.US_ASCII), tagPayload(padding));
        ByteBuffer b = ByteBuffer.allocate(4 + 3 + 4 + 4 + field.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(3).put("lib".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(field.length).put(field);
        return b.array();
    }

    private static Built flac(List<byte[]> audio, List<Integer> tags, int padding) {
        // STREAMINFO first, then an optional SEEKTABLE (kept), with tags after STREAMINFO.
        List<int[]> blocks = new ArrayList<>(); // {type, tag kind or -1}
        blocks.add(new int[] {0, -1});
        if (audio.size() > 1) {
            blocks.add(new int[] {3, -1});
        }
        List<List<Integer>> bySlot = tagsBySlot(tags, blocks.size());
        List<int[]> ordered = new ArrayList<>();
        for (int slot = 0; slot < blocks.size(); slot++) {
            ordered.add(blocks.get(slot));
            for (int t : bySlot.get(slot)) {
                int[] types = {4, 6, 2, 5, 1};
                ordered.add(new int[] {types[t % types.length], t});
            }
        }
        byte[] streamInfo = Arrays.copyOf(audio.get(0), 34);
        byte[] seekTable = Arrays.copyOf(audio.get(audio.size() - 1), 18);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        in.writeBytes("fLaC".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes("fLaC".getBytes(StandardCharsets.US_ASCII));
        int lastKept = blocks.size() - 1;
        for (int i = 0; i < ordered.size(); i++) {
            int[] b = ordered.get(i);
            boolean last = i == ordered.size() - 1;
            if (b[1] < 0) {
                byte[] payload = b[0] == 0 ? streamInfo : seekTable;
                in.writeBytes(flacBlock(last, b[0], payload));
                expected.writeBytes(flacBlock(b[0] == (lastKept == 0 ? 0 : 3), b[0], payload));
            } else {
                byte[] payload = b[0] == 4 ? vorbisComment(padding) : b[0] == 1 ? new byte[padding + 3] : tagPayload(padding);
                in.writeBytes(flacBlock(last, b[0], payload));
            }
        }
        for (byte[] a : audio) {
            in.writeBytes(a);
            expected.writeBytes(a);
        }
        boolean planted = ordered.stream().anyMatch(b -> b[1] >= 0 && b[0] != 1);
        return new Built(in.toByteArray(), expected.toByteArray(), planted);
    }

    /** An MPEG-1 layer III frame, 128 kbit/s, 44.1 kHz, no padding: 417 bytes, filled from {@code a}. */
    private static byte[] mpegFrame(byte[] a) {
        byte[] frame = new byte[417];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xFB;
        frame[2] = (byte) 0x90;
        frame[3] = 0x00;
        for (int i = 4; i < frame.length; i++) {
            frame[i] = a[i % a.length];
        }
        assertThat(MpegAudioFrame.length(frame, 0)).isEqualTo(frame.length);
        return frame;
    }

    private static Built mp3(List<byte[]> audio, List<Integer> tags, int padding) {
        boolean id3v2 = tags.stream().anyMatch(t -> t % 3 == 0);
        boolean ape = tags.stream().anyMatch(t -> t % 3 == 1);
        boolean id3v1 = tags.stream().anyMatch(t -> t % 3 == 2);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        if (id3v2) {
            byte[] text = concat(new byte[] {0}, tagPayload(padding));
            ByteBuffer frame = ByteBuffer.allocate(10 + text.length);
            frame.put("TIT2".getBytes(StandardCharsets.US_ASCII)).putInt(text.length).putShort((short) 0).put(text);
            int len = frame.capacity();
            in.writeBytes(new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, (byte) (len >> 7), (byte) (len & 0x7F)});
            in.writeBytes(frame.array());
        }
        for (byte[] a : audio) {
            frames.writeBytes(mpegFrame(a));
        }
        in.writeBytes(frames.toByteArray());
        if (ape) {
            byte[] items = concat("Artist\0".getBytes(StandardCharsets.US_ASCII), tagPayload(padding));
            ByteBuffer footer = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            footer.put("APETAGEX".getBytes(StandardCharsets.US_ASCII)).putInt(2000).putInt(items.length + 32).putInt(1)
                    .putInt(0).putLong(0);
            in.writeBytes(items);
            in.writeBytes(footer.array());
        }
        if (id3v1) {
            in.writeBytes(Arrays.copyOf(concat("TAG".getBytes(StandardCharsets.US_ASCII), PLANTED), 128));
        }
        return new Built(in.toByteArray(), frames.toByteArray(), !tags.isEmpty());
    }

    // --- what any accepted copy must be ------------------------------------------------------------

    private static void assertWellFormedCopy(EvidenceFormat format, byte[] input, byte[] copy) {
        switch (format) {
            case WAV -> assertChunks(copy, "RIFF", Set.of("WAVE"), ByteOrder.LITTLE_ENDIAN, WAV_AUDIO, "data");
            case AIFF -> assertChunks(copy, "FORM", Set.of("AIFF", "AIFC"), ByteOrder.BIG_ENDIAN, AIFF_AUDIO, "SSND");
            case FLAC -> assertFlac(input, copy);
            default -> assertMpegFrames(input, copy);
        }
    }

    /** A RIFF/IFF file whose size field is right and whose chunks are all audio chunks. */
    private static void assertChunks(byte[] copy, String form, Set<String> kinds, ByteOrder order, Set<String> allowed,
                                     String required) {
        assertThat(copy.length).isGreaterThanOrEqualTo(12);
        ByteBuffer b = ByteBuffer.wrap(copy).order(order);
        assertThat(id(copy, 0)).isEqualTo(form);
        assertThat(Integer.toUnsignedLong(b.getInt(4))).as("container size field").isEqualTo(copy.length - 8L);
        assertThat(kinds).contains(id(copy, 8));
        boolean found = false;
        int p = 12;
        while (p + 8 <= copy.length) {
            String id = id(copy, p);
            assertThat(allowed).as("chunk kept in the copy").contains(id);
            found |= id.equals(required);
            long len = Integer.toUnsignedLong(b.getInt(p + 4));
            p = (int) Math.min(Integer.MAX_VALUE, p + 8 + len + (len & 1));
        }
        assertThat(found).as(required + " chunk in the copy").isTrue();
        assertThat(p - copy.length).as("chunks end where the file ends").isBetween(0, 1);
    }

    /** fLaC, then STREAMINFO, only STREAMINFO/SEEKTABLE blocks with the last flag on the last, then the input's frames. */
    private static void assertFlac(byte[] input, byte[] copy) {
        assertThat(id(copy, 0)).isEqualTo("fLaC");
        int p = 4;
        boolean last = false;
        int n = 0;
        while (!last) {
            assertThat(p + 4).as("block header inside the copy").isLessThanOrEqualTo(copy.length);
            int head = copy[p] & 0xFF;
            last = (head & 0x80) != 0;
            int type = head & 0x7F;
            assertThat(type).as("metadata block kept").isIn(0, 3);
            if (n++ == 0) {
                assertThat(type).as("STREAMINFO first").isZero();
            }
            p += 4 + (((copy[p + 1] & 0xFF) << 16) | ((copy[p + 2] & 0xFF) << 8) | (copy[p + 3] & 0xFF));
        }
        assertThat(p).isLessThanOrEqualTo(copy.length);
        byte[] frames = Arrays.copyOfRange(copy, p, copy.length);
        assertThat(Arrays.copyOfRange(input, input.length - frames.length, input.length))
                .as("audio frames copied from the input's end").isEqualTo(frames);
    }

    /** A run of the input's bytes that is a chain of MPEG audio frames and nothing else. */
    private static void assertMpegFrames(byte[] input, byte[] copy) {
        assertThat(copy).isNotEmpty();
        assertThat(indexOf(input, copy)).as("the copy is a run of the input's bytes").isNotNegative();
        int p = 0;
        while (p < copy.length) {
            int len = MpegAudioFrame.length(copy, p);
            assertThat(len).as("MPEG frame at %d", p).isGreaterThan(4);
            p += len;
        }
        assertThat(p).as("frames end where the copy ends").isEqualTo(copy.length);
    }

    private static String id(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
