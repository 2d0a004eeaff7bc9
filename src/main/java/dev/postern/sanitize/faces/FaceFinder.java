package dev.postern.sanitize.faces;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;

/** Finds faces in a picture; implementations must be safe to call from one thread at a time. */
public interface FaceFinder {

    /** Face boxes in pixel coordinates of {@code image}, unpadded. */
    List<Rectangle> find(BufferedImage image);

    /**
     * Face boxes in a packed 8-bit BGR frame (as ffmpeg's {@code bgr24} raw video), unpadded.
     */
    List<Rectangle> findInBgr(byte[] bgr, int width, int height);

    /**
     * A cheaper pass for video frames between full passes: frontal faces only. Faces turned away
     * are then kept masked by the hold-over of the previous full pass.
     */
    default List<Rectangle> findFrontalInBgr(byte[] bgr, int width, int height) {
        return findInBgr(bgr, width, height);
    }
}
