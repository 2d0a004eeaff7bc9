package dev.postern.store;

/**
 * An organization that receives reports: a newsroom, an investigating office.
 *
 * @param notice           its own short text on its source page (who it is, how to support it); plain text
 * @param euClocks         whether the desk keeps the EU Directive 2019/1937 deadlines (acknowledge within 7
 *                         days, feedback within 3 months)
 * @param timeZone         IANA zone the deadlines' dates are counted in
 * @param sourceMayExclude whether a source may leave named recipients out of their report
 */
public record Organization(String id, String slug, String name, String notice, boolean euClocks, String timeZone,
                           boolean sourceMayExclude) {
    /** An organization with the settings' defaults (clocks off, UTC, no exclusion). */
    public Organization(String id, String slug, String name, String notice) {
        this(id, slug, name, notice, false, "UTC", false);
    }
}
