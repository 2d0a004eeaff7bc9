package dev.postern.sanitize.media;

import dev.postern.sanitize.CannotSanitizeException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What ffprobe says about a media file, read from its "flat" output ({@code key="value"} lines):
 * streams, their kinds, and the names (never the values) of every tag at container, stream and
 * chapter level.
 */
public final class MediaProbe {

    /** One stream of the file. */
    public record Stream(int index, String type, String codec, boolean attachedPicture, int width, int height,
                         String frameRate, int rotation) {
    }

    private final Map<String, String> values;
    private final List<Stream> streams;

    private MediaProbe(Map<String, String> values) {
        this.values = values;
        this.streams = new ArrayList<>();
        for (int i = 0; values.containsKey("streams.stream." + i + ".index"); i++) {
            String p = "streams.stream." + i + ".";
            streams.add(new Stream(i, get(p + "codec_type"), get(p + "codec_name"),
                    "1".equals(get(p + "disposition.attached_pic")), intOf(get(p + "width")),
                    intOf(get(p + "height")), get(p + "r_frame_rate"), rotationOf(p)));
        }
    }

    /** Runs ffprobe on the file. */
    public static MediaProbe of(MediaTool tool, Path file, Duration timeout) throws CannotSanitizeException {
        MediaTool.Run r = tool.ffprobe(List.of("-print_format", "flat", "-show_format", "-show_streams",
                "-show_chapters", file.toString()), timeout);
        if (!r.ok()) {
            throw new CannotSanitizeException("the media file cannot be read: "
                    + MediaTool.firstLine(r.stderrTail()));
        }
        return parse(new String(r.stdout(), StandardCharsets.UTF_8));
    }

    static MediaProbe parse(String flat) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : flat.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            v.put(line.substring(0, eq), value);
        }
        return new MediaProbe(v);
    }

    public List<Stream> streams() {
        return List.copyOf(streams);
    }

    /** Video streams that are real video (not cover art). */
    public List<Stream> videoStreams() {
        return streams.stream().filter(s -> "video".equals(s.type()) && !s.attachedPicture()).toList();
    }

    public List<Stream> audioStreams() {
        return streams.stream().filter(s -> "audio".equals(s.type())).toList();
    }

    public int chapterCount() {
        int n = 0;
        while (values.containsKey("chapters.chapter." + n + ".id")) n++;
        return n;
    }

    public double durationSeconds() {
        try {
            return Double.parseDouble(get("format.duration"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Tag names at every level, as report lines: "container tag title", "stream 1 (audio) tag
     * handler_name", "chapter 0 tag title". Values are left out on purpose.
     */
    public Set<String> tagNames() {
        Set<String> out = new TreeSet<>();
        for (String key : values.keySet()) {
            int t = key.indexOf(".tags.");
            if (t < 0) continue;
            String tag = key.substring(t + 6).replaceAll("[^\\w.:@-]", "?");
            String where = key.substring(0, t);
            if (where.equals("format")) {
                out.add("container tag " + tag);
            } else if (where.startsWith("streams.stream.")) {
                String idx = where.substring("streams.stream.".length());
                out.add("stream " + idx + " (" + get(where + ".codec_type") + ") tag " + tag);
            } else if (where.startsWith("chapters.chapter.")) {
                out.add("chapter tag " + tag);
            }
        }
        return out;
    }

    /** The raw value of a tag key, for the post-check (never reported). */
    String value(String key) {
        return values.get(key);
    }

    Map<String, String> all() {
        return values;
    }

    private int rotationOf(String prefix) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(prefix + "side_data_list.") && e.getKey().endsWith(".rotation")) {
                return intOf(e.getValue());
            }
        }
        String tag = values.get(prefix + "tags.rotate");
        return tag == null ? 0 : intOf(tag);
    }

    private String get(String key) {
        return values.getOrDefault(key, "");
    }

    private static int intOf(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
