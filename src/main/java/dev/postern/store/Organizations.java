package dev.postern.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Storage of organizations. */
public final class Organizations {
    private static final String COLUMNS = "id, slug, name, notice, eu_clocks, time_zone, source_may_exclude";
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
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM organization WHERE slug = :s")
                .bind("s", slug).map((rs, ctx) -> read(rs)).findOne());
    }

    public Optional<Organization> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM organization WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> read(rs)).findOne());
    }

    public List<Organization> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM organization ORDER BY name")
                .map((rs, ctx) -> read(rs)).list());
    }

    /** The administrators' settings: EU clocks, the organization's time zone, source-side exclusion. */
    public void updateSettings(String id, boolean euClocks, String timeZone, boolean sourceMayExclude) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE organization SET eu_clocks = :c, time_zone = :z, source_may_exclude = :x WHERE id = :id")
                .bind("c", euClocks).bind("z", timeZone).bind("x", sourceMayExclude).bind("id", id).execute());
    }

    private static Organization read(ResultSet rs) throws SQLException {
        return new Organization(rs.getString("id"), rs.getString("slug"), rs.getString("name"),
                rs.getString("notice"), rs.getBoolean("eu_clocks"), rs.getString("time_zone"),
                rs.getBoolean("source_may_exclude"));
    }
}
