package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Sizes in the source's language: unit symbols and decimal separator from the bundles. */
class PageContextSizeTest {
    @Test
    void sizesFollowTheLanguage() {
        assertThat(PageContext.size(1536)).isEqualTo("1.5 KiB");
        assertThat(PageContext.size(1536, Texts.of("en"))).isEqualTo("1.5 KiB");
        assertThat(PageContext.size(1536, Texts.of("ru"))).isEqualTo("1,5 КБ");
        assertThat(PageContext.size(500, Texts.of("uk"))).isEqualTo("500 Б");
        assertThat(PageContext.size(3L * 1024 * 1024 * 1024 / 2, Texts.of("uk"))).isEqualTo("1,5 ГБ");
        assertThat(PageContext.size(100L * 1024 * 1024, Texts.of("ru"))).isEqualTo("100,0 МБ");
        assertThat(new PageContext(Texts.of("ru"), "", "", "/").fileSize(2048)).isEqualTo("2,0 КБ");
    }
}
