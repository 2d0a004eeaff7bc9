package dev.postern.sanitize;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code postern sanitize}: writes a publishable copy of one evidence file and prints what was
 * removed, what was masked and what could not be removed.
 *
 * <p>Exit codes: 0 sanitized; 3 NOT sanitized (no copy written); 4 input missing or unreadable;
 * 2 usage error (picocli).
 */
@Command(name = "sanitize", mixinStandardHelpOptions = true,
        version = "Postern 0.1.0",
        description = {"Make a publishable copy of an evidence file without identifying metadata, optionally"
                + " masking faces and disguising voices.",
                "Without --out nothing is written: the report shows what a copy would lose."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:sanitized", "2:usage error", "3:NOT sanitized (no copy written)",
                "4:input missing or unreadable"})
public final class SanitizeCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_NOT_SANITIZED = 3;
    static final int EXIT_IO = 4;

    @Parameters(index = "0", paramLabel = "IN", description = "the evidence file (left unchanged)")
    Path in;

    @Option(names = "--out", paramLabel = "OUT", description = "where to write the clean copy")
    Path out;

    @Option(names = "--mask-faces", description = "detect faces and cover them with opaque boxes")
    boolean maskFaces;

    @Option(names = "--mask", paramLabel = "x,y,w,h[@from-to]",
            description = "cover a box with an opaque fill; in video optionally only from-to seconds (repeatable)")
    List<String> masks = new ArrayList<>();

    @Option(names = "--voice", paramLabel = "disguise|mute",
            description = "disguise: irreversible whisper resynthesis of audio; mute: drop audio")
    String voice;

    @Option(names = "--rasterize", description = "PDF: rebuild every page as an image")
    boolean rasterize;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    private final Sanitizer sanitizer;
    private final PrintStream stdout;
    private final PrintStream stderr;

    /** Used by picocli: the default sanitizer, printing to the process's streams. */
    public SanitizeCommand() {
        this(Sanitizer.withDefaultCleaners(), System.out, System.err);
    }

    SanitizeCommand(Sanitizer sanitizer, PrintStream stdout, PrintStream stderr) {
        this.sanitizer = sanitizer;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() {
        SanitizeOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            stderr.println("sanitize: " + e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(in) || !Files.isReadable(in)) {
            stderr.println("sanitize: cannot read " + in);
            return EXIT_IO;
        }
        SanitizeReport report;
        try {
            report = sanitizer.sanitize(in, out, options);
        } catch (java.io.IOException e) {
            stderr.println("sanitize: " + e.getMessage());
            return EXIT_IO;
        }
        stdout.print(json ? report.toJson() + "\n" : report.toText());
        if (report.sanitized() && out == null && !json) {
            stdout.println("(dry run: no --out given, no copy written)");
        }
        return report.sanitized() ? EXIT_OK : EXIT_NOT_SANITIZED;
    }

    private SanitizeOptions options() {
        List<ManualMask> parsed = new ArrayList<>();
        for (String m : masks) {
            parsed.add(ManualMask.parse(m));
        }
        VoiceMode v = VoiceMode.KEEP;
        if (voice != null) {
            v = switch (voice) {
                case "disguise" -> VoiceMode.DISGUISE;
                case "mute" -> VoiceMode.MUTE;
                default -> throw new IllegalArgumentException("--voice must be disguise or mute");
            };
        }
        return SanitizeOptions.defaults().withMaskFaces(maskFaces).withMasks(parsed).withVoice(v)
                .withRasterize(rasterize);
    }
}
