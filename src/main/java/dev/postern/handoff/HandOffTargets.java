package dev.postern.handoff;

import java.util.List;

/**
 * Where a report can be handed off to from a recipient's desk: the other organizations on this
 * instance (forward) and the outside bodies their organization keeps (export).
 */
public record HandOffTargets(List<Target> organizations, List<Target> outsideBodies) {
    public HandOffTargets {
        organizations = List.copyOf(organizations);
        outsideBodies = List.copyOf(outsideBodies);
    }

    /** A destination as a select shows it. */
    public record Target(String id, String name) {
    }
}
