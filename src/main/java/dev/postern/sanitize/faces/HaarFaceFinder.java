package dev.postern.sanitize.faces;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Face detection with OpenCV's Haar cascades as shipped in the bytedeco opencv jar: the frontal
 * cascade, and the profile cascade run on the picture and on its mirror image (it only knows
 * faces turned one way). Sensitive settings on purpose: a false box costs a patch of picture, a
 * missed face can cost a life.
 */
public final class HaarFaceFinder implements FaceFinder {

    private static final String CASCADES = "/org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/";
    /**
     * Frames wider than this are scaled down for detection (speed: 720p runs near real time on two
     * cores); boxes are scaled back. Faces narrower than ~2.5% of the frame width are then missed.
     */
    private static final int DETECT_WIDTH = 640;

    private final CascadeClassifier frontal;
    private final CascadeClassifier profile;

    private HaarFaceFinder(CascadeClassifier frontal, CascadeClassifier profile) {
        this.frontal = frontal;
        this.profile = profile;
    }

    /**
     * Loads OpenCV and the cascades (javacpp extracts them once to its cache directory).
     *
     * @throws IllegalStateException when the natives or cascade files are missing
     */
    public static HaarFaceFinder load() {
        try {
            Loader.load(org.bytedeco.opencv.global.opencv_objdetect.class);
            File f = Loader.cacheResource(HaarFaceFinder.class, CASCADES + "haarcascade_frontalface_default.xml");
            File p = Loader.cacheResource(HaarFaceFinder.class, CASCADES + "haarcascade_profileface.xml");
            if (f == null || p == null) throw new IllegalStateException("Haar cascades missing from the opencv jar");
            CascadeClassifier frontal = new CascadeClassifier(f.getAbsolutePath());
            CascadeClassifier profile = new CascadeClassifier(p.getAbsolutePath());
            if (frontal.empty() || profile.empty()) throw new IllegalStateException("Haar cascades failed to load");
            return new HaarFaceFinder(frontal, profile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the Haar cascades: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<Rectangle> find(BufferedImage image) {
        BufferedImage bgr = image;
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            bgr.getGraphics().drawImage(image, 0, 0, null);
        }
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        return findInBgr(data, bgr.getWidth(), bgr.getHeight());
    }

    @Override
    public synchronized List<Rectangle> findInBgr(byte[] bgr, int width, int height) {
        return detectAll(bgr, width, height, true);
    }

    @Override
    public synchronized List<Rectangle> findFrontalInBgr(byte[] bgr, int width, int height) {
        return detectAll(bgr, width, height, false);
    }

    private List<Rectangle> detectAll(byte[] bgr, int width, int height, boolean profiles) {
        try (BytePointer pixels = new BytePointer(bgr);
             Mat frame = new Mat(height, width, opencv_core.CV_8UC3, pixels);
             Mat gray = new Mat();
             Mat small = new Mat();
             Mat mirrored = new Mat()) {
            opencv_imgproc.cvtColor(frame, gray, opencv_imgproc.COLOR_BGR2GRAY);
            double scale = width > DETECT_WIDTH ? (double) DETECT_WIDTH / width : 1.0;
            Mat work = gray;
            if (scale < 1.0) {
                opencv_imgproc.resize(gray, small, new Size((int) Math.round(width * scale), (int) Math.round(height * scale)));
                work = small;
            }
            opencv_imgproc.equalizeHist(work, work);
            int w = work.cols();
            List<Rectangle> out = new ArrayList<>();
            detect(frontal, work, false, w, scale, out);
            if (profiles) {
                detect(profile, work, false, w, scale, out);
                opencv_core.flip(work, mirrored, 1);
                detect(profile, mirrored, true, w, scale, out);
            }
            return out;
        }
    }

    private static void detect(CascadeClassifier c, Mat img, boolean mirrored, int width, double scale,
                               List<Rectangle> out) {
        try (RectVector found = new RectVector()) {
            int min = Math.max(20, img.cols() / 40);
            // Scale step 1.15: about a third fewer pyramid levels than 1.1, for a small loss on faces
            // between two levels (the 35 % mask margin covers the size error).
            c.detectMultiScale(img, found, 1.15, 3, 0, new Size(min, min), new Size());
            for (long i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                int x = mirrored ? width - r.x() - r.width() : r.x();
                out.add(new Rectangle((int) Math.floor(x / scale), (int) Math.floor(r.y() / scale),
                        (int) Math.ceil(r.width() / scale), (int) Math.ceil(r.height() / scale)));
            }
        }
    }
}
