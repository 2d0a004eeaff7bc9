package dev.postern.sanitize.media;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;

/** ffprobe output is derived from the hostile file: tag names and values may hold anything. */
class MediaProbePropertiesTest {

    @Property(tries = 300)
    void parsingArbitraryProbeOutputNeverThrows(@ForAll @Size(max = 30) java.util.List<@Size(max = 60) String> lines) {
        String flat = "streams.stream.0.index=0\nstreams.stream.0.codec_type=\"video\"\n" + String.join("\n", lines);
        MediaProbe p = MediaProbe.parse(flat);
        assertThat(p.streams()).isNotEmpty();
        for (String t : p.tagNames()) {
            assertThat(t).doesNotContain("\n");
        }
        p.chapterCount();
        p.durationSeconds();
    }

    @Property(tries = 300)
    void frameRatesAreAlwaysUsable(@ForAll @Size(max = 20) String rate) {
        double v = VideoMasker.rateValue(VideoMasker.validRate(rate));
        assertThat(v).isGreaterThan(0).isLessThanOrEqualTo(240);
    }
}
