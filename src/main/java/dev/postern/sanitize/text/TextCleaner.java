package dev.postern.sanitize.text;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.CleaningJob;
import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;
import dev.postern.sanitize.FormatCleaner;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HTML and plain text. HTML is parsed and rewritten without comments, meta tags (other than the
 * character set and viewport), the title, scripts, links to author pages and event handlers. Plain
 * text has no metadata, but invisible characters (zero-width spaces and joiners, word joiners, soft
 * hyphens, bidi marks) are a known way to watermark a leaked text for each recipient: they go.
 */
public final class TextCleaner implements FormatCleaner {

    private static final long MAX_TEXT_BYTES = 64L << 20;
    private static final Set<String> KEPT_META = Set.of("viewport");
    private static final String INVISIBLE = "[\\u00AD\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF]";

    @Override
    public void clean(Path in, Path out, EvidenceFormat format, CleaningJob job)
            throws IOException, CannotSanitizeException {
        if (Files.size(in) > MAX_TEXT_BYTES) {
            throw new CannotSanitizeException("text file larger than 64 MiB");
        }
        String text = decode(Files.readAllBytes(in));
        Findings f = job.findings();
        if (format == EvidenceFormat.HTML) {
            Files.writeString(out, html(text, f), StandardCharsets.UTF_8);
            f.warn("the visible text and images of the page are unchanged and may identify people");
        } else {
            if (dev.postern.sanitize.FormatSniffer.looksLikeMarkup(text.toLowerCase(Locale.ROOT))) {
                throw new CannotSanitizeException("text with XML or markup in it (past the part that was"
                        + " sniffed): its metadata cannot be told apart from its content");
            }
            String clean = stripInvisible(text, f);
            Files.writeString(out, clean, StandardCharsets.UTF_8);
            f.warn("the wording itself is unchanged: spelling, phrasing, line breaks and deliberate small"
                    + " differences between copies (canary traps) can identify who leaked a text");
        }
    }

    private static String decode(byte[] b) throws CannotSanitizeException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new CannotSanitizeException("not valid UTF-8 text (other encodings are not handled)");
        }
    }

    static String stripInvisible(String text, Findings f) {
        boolean bom = text.startsWith("\uFEFF");
        String body = bom ? text.substring(1) : text;
        String clean = body.replaceAll(INVISIBLE, "");
        if (clean.length() != body.length()) {
            f.removed("invisible characters (" + (body.length() - clean.length())
                    + ": zero-width, soft hyphen or bidi marks, a known per-copy watermark)");
        }
        return clean;
    }

    private static String html(String source, Findings f) {
        Document doc = Jsoup.parse(source);
        List<Node> drop = new ArrayList<>();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof Comment) {
                    f.removed("HTML comment");
                    drop.add(node);
                } else if (node instanceof Element e) {
                    String tag = e.normalName();
                    switch (tag) {
                        case "meta" -> {
                            String name = e.attr("name").toLowerCase(Locale.ROOT);
                            if (!e.hasAttr("charset") && !KEPT_META.contains(name)) {
                                String label = !name.isEmpty() ? name : !e.attr("property").isEmpty()
                                        ? e.attr("property") : e.attr("http-equiv");
                                f.removed("HTML meta " + label.replaceAll("[^\\w.:-]", "?"));
                                drop.add(e);
                            }
                        }
                        case "title" -> {
                            f.removed("HTML <title>");
                            drop.add(e);
                        }
                        case "script", "noscript", "base", "object", "embed", "applet" -> {
                            f.removed("HTML <" + tag + ">");
                            drop.add(e);
                        }
                        case "link" -> {
                            if (!"stylesheet".equalsIgnoreCase(e.attr("rel"))) {
                                f.removed("HTML link rel=" + e.attr("rel").replaceAll("[^\\w.:-]", "?"));
                                drop.add(e);
                            }
                        }
                        default -> { }
                    }
                    for (String ref : List.of("src", "href", "srcset", "poster", "background")) {
                        String v = e.attr(ref).strip().toLowerCase(Locale.ROOT);
                        if (v.startsWith("http:") || v.startsWith("https:") || v.startsWith("//")) {
                            f.warn("links and remote images are kept: opening the copy may contact those servers,"
                                    + " and the addresses may point to the source");
                        }
                    }
                    List<String> attrs = new ArrayList<>();
                    for (Attribute a : e.attributes()) {
                        String k = a.getKey().toLowerCase(Locale.ROOT);
                        if (k.startsWith("on")) {
                            f.removed("HTML event handler " + k);
                            attrs.add(a.getKey());
                        } else if (k.startsWith("data-")) {
                            f.removed("HTML data-* attributes (may hold tracking ids)");
                            attrs.add(a.getKey());
                        } else if ((k.equals("href") || k.equals("src")) && a.getValue().strip().toLowerCase(Locale.ROOT).startsWith("javascript:")) {
                            f.removed("HTML javascript: link");
                            attrs.add(a.getKey());
                        }
                    }
                    attrs.forEach(e::removeAttr);
                }
            }

            @Override
            public void tail(Node node, int depth) {
            }
        }, doc);
        drop.forEach(Node::remove);
        doc.charset(StandardCharsets.UTF_8);
        doc.outputSettings().prettyPrint(false);
        String out = doc.outerHtml();
        Findings quiet = new Findings();
        String clean = stripInvisible(out, quiet);
        quiet.removed().forEach(f::removed);
        return clean;
    }
}
