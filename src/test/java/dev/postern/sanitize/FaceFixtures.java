package dev.postern.sanitize;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;

/**
 * A drawn face that OpenCV's Haar frontal cascade detects (no photograph of a real person is
 * needed, and none ships in the jars): shaded skin oval, hair, brows, eye sockets with eyes, nose
 * shadow and mouth on a plain background. Checked to be detected at face widths 80-200 px.
 */
final class FaceFixtures {
    private FaceFixtures() {
    }

    static BufferedImage face(int width, int height, int cx, int cy, int fw) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(70, 90, 110));
        g.fillRect(0, 0, width, height);
        drawFace(g, cx, cy, fw);
        g.dispose();
        return img;
    }

    static void drawFace(Graphics2D g, int cx, int cy, int fw) {
        int fh = (int) (fw * 1.3);
        g.setColor(new Color(40, 30, 20));
        g.fillOval(cx - fw / 2 - fw / 20, cy - fh / 2 - fh / 12, fw + fw / 10, fh / 2 + fh / 6);
        g.setPaint(new RadialGradientPaint(new Point2D.Float(cx, cy), fw * 0.7f, new float[]{0f, 1f},
                new Color[]{new Color(235, 195, 165), new Color(170, 120, 95)}));
        g.fillOval(cx - fw / 2, cy - fh / 2, fw, fh);
        g.setColor(new Color(50, 35, 25));
        g.setStroke(new BasicStroke(fw / 25f));
        g.drawArc(cx - fw / 3, cy - fh / 5, fw / 4, fw / 8, 20, 140);
        g.drawArc(cx + fw / 12, cy - fh / 5, fw / 4, fw / 8, 20, 140);
        g.setColor(new Color(150, 105, 85));
        g.fillOval(cx - fw / 3, cy - fh / 7, fw / 4, fw / 7);
        g.fillOval(cx + fw / 12, cy - fh / 7, fw / 4, fw / 7);
        g.setColor(Color.WHITE);
        g.fillOval(cx - fw / 3 + fw / 40, cy - fh / 8, fw / 5, fw / 10);
        g.fillOval(cx + fw / 12 + fw / 40, cy - fh / 8, fw / 5, fw / 10);
        g.setColor(new Color(30, 20, 15));
        g.fillOval(cx - fw / 4 - fw / 40, cy - fh / 8, fw / 10, fw / 10);
        g.fillOval(cx + fw / 6 - fw / 40, cy - fh / 8, fw / 10, fw / 10);
        g.setColor(new Color(185, 135, 110));
        g.fillOval(cx - fw / 14, cy + fh / 40, fw / 7, fw / 6);
        g.setColor(new Color(120, 80, 65));
        g.fillOval(cx - fw / 12, cy + fh / 9, fw / 16, fw / 24);
        g.fillOval(cx + fw / 50, cy + fh / 9, fw / 16, fw / 24);
        g.setColor(new Color(140, 60, 60));
        g.fillOval(cx - fw / 6, cy + fh / 4, fw / 3, fw / 10);
    }
}
