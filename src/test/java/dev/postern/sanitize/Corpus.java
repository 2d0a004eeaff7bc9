package dev.postern.sanitize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The planted-value fixtures as files, one per format, grouped as the benchmark reports them. Used
 * by the external-tool tests and, through {@link #main}, by bench/sanitize-vs-mat2.sh.
 */
public final class Corpus {

    /** A fixture file and the group it belongs to. */
    public record Item(String group, Path file) {
    }

    private Corpus() {
    }

    /** Writes every fixture into {@code dir}; media fixtures only when the bundled ffmpeg runs. */
    public static List<Item> write(Path dir, boolean media) throws IOException {
        Files.createDirectories(dir);
        List<Item> items = new ArrayList<>();
        items.add(new Item("image", Fixtures.write(dir, "photo.jpg", Fixtures.jpeg(640, 480, 6))));
        items.add(new Item("image", Fixtures.write(dir, "screen.png", Fixtures.png(640, 480))));
        items.add(new Item("image", Fixtures.write(dir, "anim.gif", Fixtures.gif(200, 150))));
        items.add(new Item("image", Fixtures.write(dir, "scan.tiff", Fixtures.tiff(320, 240))));
        items.add(new Item("image", Fixtures.write(dir, "logo.svg", Fixtures.svg())));
        items.add(new Item("pdf", Fixtures.write(dir, "leak.pdf", PdfFixtures.planted())));
        items.add(new Item("office", Fixtures.write(dir, "memo.docx", OfficeFixtures.docx())));
        items.add(new Item("office", Fixtures.write(dir, "sheet.xlsx", OfficeFixtures.xlsx())));
        items.add(new Item("office", Fixtures.write(dir, "deck.pptx", OfficeFixtures.pptx())));
        items.add(new Item("office", Fixtures.write(dir, "letter.odt", OfficeFixtures.odt())));
        items.add(new Item("office", Fixtures.write(dir, "book.epub", OfficeFixtures.epub())));
        items.add(new Item("text", Fixtures.write(dir, "page.html", ("<html><head><title>" + Fixtures.TITLE
                + "</title><meta name='author' content='" + Fixtures.ARTIST + "'></head><body><p>Visible</p>"
                + "<!-- " + Fixtures.COMMENT + " --></body></html>").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        if (media) {
            items.add(new Item("audio", MediaFixtures.audio(dir, "tone.mp3", "mp3", "libmp3lame")));
            items.add(new Item("audio", MediaFixtures.audio(dir, "tone.flac", "flac", "flac")));
            items.add(new Item("audio", MediaFixtures.audio(dir, "tone.ogg", "ogg", "libopus")));
            items.add(new Item("audio", MediaFixtures.audio(dir, "tone.wav", "wav", "pcm_s16le")));
            items.add(new Item("audio", MediaFixtures.audio(dir, "tone.aiff", "aiff", "pcm_s16be")));
            items.add(new Item("audio", MediaFixtures.audio(dir, "tone.m4a", "ipod", "aac")));
            items.add(new Item("video", MediaFixtures.video(dir, "clip.mp4", "mp4", "mpeg4", "aac", true)));
            items.add(new Item("video", MediaFixtures.video(dir, "clip.avi", "avi", "mpeg4", "libmp3lame", false)));
            items.add(new Item("video", MediaFixtures.video(dir, "clip.wmv", "asf", "wmv2", "wmav2", false)));
            items.add(new Item("video", MediaFixtures.video(dir, "clip.mkv", "matroska", "mpeg4", "libopus", true)));
        }
        return items;
    }

    /** Writes the corpus: {@code Corpus DIR [--no-media]}; prints "group path" lines. */
    public static void main(String[] args) throws IOException {
        boolean media = args.length < 2 || !args[1].equals("--no-media");
        for (Item i : write(Path.of(args[0]), media)) {
            System.out.println(i.group() + " " + i.file());
        }
    }
}
