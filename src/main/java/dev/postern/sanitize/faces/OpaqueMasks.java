package dev.postern.sanitize.faces;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Paints solid black boxes. Blur and pixelation are never used: both leave information that
 * deblurring or super-resolution can recover; a filled box leaves none.
 */
public final class OpaqueMasks {

    /** Extra border around a detected face, as a fraction of its size: detectors box tightly (no hair, ears, chin). */
    public static final double FACE_MARGIN = 0.35;

    private OpaqueMasks() {
    }

    /** Grows a box by {@code margin} of its size on every side and clips it to the picture. */
    public static Rectangle pad(Rectangle r, double margin, int width, int height) {
        int dx = (int) Math.ceil(r.width * margin);
        int dy = (int) Math.ceil(r.height * margin);
        Rectangle grown = new Rectangle(r.x - dx, r.y - dy, r.width + 2 * dx, r.height + 2 * dy);
        return grown.intersection(new Rectangle(0, 0, width, height));
    }

    /** Pads each box and clips it to the picture, dropping boxes that fall outside entirely. */
    public static List<Rectangle> padAll(List<Rectangle> boxes, double margin, int width, int height) {
        List<Rectangle> out = new ArrayList<>();
        for (Rectangle r : boxes) {
            Rectangle p = pad(r, margin, width, height);
            if (!p.isEmpty()) out.add(p);
        }
        return out;
    }

    /** Fills the boxes with opaque black on an RGB or ARGB image (alpha set to fully opaque). */
    public static void paint(BufferedImage image, List<Rectangle> boxes) {
        Graphics2D g = image.createGraphics();
        try {
            g.setComposite(java.awt.AlphaComposite.Src);
            g.setColor(Color.BLACK);
            for (Rectangle r : boxes) {
                g.fillRect(r.x, r.y, r.width, r.height);
            }
        } finally {
            g.dispose();
        }
    }

    /** Fills the boxes with black in a packed BGR frame. */
    public static void paintBgr(byte[] bgr, int width, int height, List<Rectangle> boxes) {
        for (Rectangle box : boxes) {
            Rectangle r = box.intersection(new Rectangle(0, 0, width, height));
            if (r.isEmpty()) continue;
            for (int y = r.y; y < r.y + r.height; y++) {
                int from = (y * width + r.x) * 3;
                java.util.Arrays.fill(bgr, from, from + r.width * 3, (byte) 0);
            }
        }
    }
}
