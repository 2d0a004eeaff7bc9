package dev.postern.sanitize;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Benchmark helper (not a test): writes a 10 s 720p 30 fps video of a drawn face drifting across. */
public final class FaceVideo {
    private FaceVideo() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path still = Files.createTempFile("face-", ".png");
        try {
            ImageIO.write(FaceFixtures.face(1280, 720, 640, 360, 200), "png", still.toFile());
            MediaFixtures.ffmpeg(List.of("-y", "-loop", "1", "-framerate", "30", "-i", still.toString(),
                    "-f", "lavfi", "-i", "sine=frequency=300:duration=10", "-t", "10",
                    "-vf", "crop=1280:720:0:0,scroll=horizontal=0.0005", "-c:v", "mpeg4", "-q:v", "3",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", out.toString()));
        } finally {
            Files.deleteIfExists(still);
        }
    }
}
