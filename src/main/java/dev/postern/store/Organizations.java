package dev.postern.store;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Storage of organizations. */
public final class Organizations {
    private final Jdbi jdbi;
    private final Clock clock;

    public Organizations(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Organization insert(String slug, String name, String notice) {
        Organization org = new Organization(Ids.newId(), slug, name, notice);
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO organization (id, slug, name, notice, created_at)
                VALUES (:id, :slug, :name, :notice, :at)""")
                .bind("id", org.id()).bind("slug", slug).bind("name", name).bind("notice", notice)
                .bind("at", clock.instant().getEpochSecond()).execute());
        return org;
    }

    public void updateNotice(String id, String notice) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE organization SET notice = :n WHERE id = :id")
                .bind("n", notice).bind("id", id).execute());
    }

    public Optional<Organization> bySlug(String slug) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, slug, name, notice FROM organization WHERE slug = :s")
                .bind("s", slug).map((rs, ctx) -> new Organization(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4))).findOne());
    }

    public List<Organization> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, slug, name, notice FROM organization ORDER BY name")
                .map((rs, ctx) -> new Organization(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4))).list());
    }
}
