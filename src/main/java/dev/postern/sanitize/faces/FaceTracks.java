package dev.postern.sanitize.faces;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Keeps a face masked for a while after the detector loses it. Detectors drop faces for a frame or
 * two (motion blur, a turned head); without this hold the face would flash into view.
 */
public final class FaceTracks {

    private static final class Track {
        Rectangle box;
        int lastSeen;

        Track(Rectangle box, int lastSeen) {
            this.box = box;
            this.lastSeen = lastSeen;
        }
    }

    private final int holdFrames;
    private final List<Track> tracks = new ArrayList<>();

    /** @param holdFrames how many frames a face stays masked after its last detection */
    public FaceTracks(int holdFrames) {
        this.holdFrames = holdFrames;
    }

    /** Merges this frame's detections into the tracks. */
    public void update(List<Rectangle> detections, int frame) {
        for (Rectangle d : detections) {
            Track best = null;
            double bestOverlap = 0;
            for (Track t : tracks) {
                double o = overlap(t.box, d);
                if (o > bestOverlap) {
                    best = t;
                    bestOverlap = o;
                }
            }
            if (best != null && bestOverlap > 0.2) {
                best.box = d;
                best.lastSeen = frame;
            } else {
                tracks.add(new Track(d, frame));
            }
        }
    }

    /** Boxes to mask in this frame: every face seen within the hold time. */
    public List<Rectangle> active(int frame) {
        List<Rectangle> out = new ArrayList<>();
        for (Iterator<Track> it = tracks.iterator(); it.hasNext(); ) {
            Track t = it.next();
            if (frame - t.lastSeen > holdFrames) {
                it.remove();
            } else {
                out.add(t.box);
            }
        }
        return out;
    }

    /** Intersection over the smaller box: a face that shrinks or grows still matches itself. */
    private static double overlap(Rectangle a, Rectangle b) {
        Rectangle i = a.intersection(b);
        if (i.isEmpty()) return 0;
        double smaller = Math.min((double) a.width * a.height, (double) b.width * b.height);
        return (double) i.width * i.height / smaller;
    }
}
