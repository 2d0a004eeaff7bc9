package dev.postern.sanitize;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An opaque box the user asks to paint over an image or video, e.g. a unit patch or a number plate.
 *
 * @param x        left edge in pixels
 * @param y        top edge in pixels
 * @param width    width in pixels, positive
 * @param height   height in pixels, positive
 * @param fromSecs start of the time range in seconds (video only), or null for always
 * @param toSecs   end of the time range in seconds (video only), or null for always
 */
public record ManualMask(int x, int y, int width, int height, Double fromSecs, Double toSecs) {

    private static final Pattern SYNTAX = Pattern.compile(
            "(\\d+),(\\d+),(\\d+),(\\d+)(?:@(\\d+(?:\\.\\d+)?)-(\\d+(?:\\.\\d+)?))?");

    public ManualMask {
        if (x < 0 || y < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask needs x,y >= 0 and width,height > 0");
        }
        if ((fromSecs == null) != (toSecs == null) || (fromSecs != null && toSecs < fromSecs)) {
            throw new IllegalArgumentException("mask time range must be from-to with from <= to");
        }
    }

    /** Parses {@code x,y,w,h} or {@code x,y,w,h@from-to} (seconds). */
    public static ManualMask parse(String spec) {
        Matcher m = SYNTAX.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("mask must look like x,y,w,h or x,y,w,h@from-to (seconds): " + spec);
        }
        try {
            Double from = m.group(5) == null ? null : Double.valueOf(m.group(5));
            Double to = m.group(6) == null ? null : Double.valueOf(m.group(6));
            return new ManualMask(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), from, to);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mask numbers out of range: " + spec, e);
        }
    }

    /** True when the mask applies at this time (always true for masks without a range). */
    public boolean activeAt(double seconds) {
        return fromSecs == null || (seconds >= fromSecs && seconds <= toSecs);
    }

    public boolean timed() {
        return fromSecs != null;
    }

    @Override
    public String toString() {
        String box = x + "," + y + "," + width + "," + height;
        // Plain decimals: Double.toString writes 1.0E7 from ten million seconds on, which parse refuses.
        return timed() ? box + "@" + plain(fromSecs) + "-" + plain(toSecs) : box;
    }

    private static String plain(double seconds) {
        return BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
    }
}
