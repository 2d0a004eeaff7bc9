package dev.postern.web;

import dev.postern.vault.Crypto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@link Sessions} kept only in this process's memory: a restart ends them all, with the decrypted
 * keys they hold. Time comes from the injected clock.
 *
 * @param <T> what a session holds
 */
public final class MemorySessions<T> implements Sessions<T> {
    private record Entry<T>(Session<T> session, Instant created, Instant lastSeen) {
    }

    private final Map<String, Entry<T>> live = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration lifetime;
    private final Function<T, String> ownerOf;

    /**
     * @param idleTimeout a session unused this long ends
     * @param lifetime    a session ends this long after login however active it is
     * @param ownerOf     who a session belongs to (a recipient, a report), for {@link #endOthers}
     */
    public MemorySessions(Clock clock, Duration idleTimeout, Duration lifetime, Function<T, String> ownerOf) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.lifetime = lifetime;
        this.ownerOf = ownerOf;
    }

    @Override
    public Session<T> create(T value) {
        sweep();
        Session<T> s = new Session<>(Crypto.randomToken(), Crypto.randomToken(), value);
        Instant now = clock.instant();
        live.put(s.id(), new Entry<>(s, now, now));
        return s;
    }

    @Override
    public Optional<Session<T>> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        // Atomic: a request that races a logout must not bring the session (and its keys) back.
        Entry<T> touched = live.computeIfPresent(id, (k, e) ->
                expired(e, now) ? null : new Entry<>(e.session(), e.created(), now));
        return touched == null ? Optional.empty() : Optional.of(touched.session());
    }

    @Override
    public void end(String id) {
        if (id != null) {
            live.remove(id);
        }
    }

    @Override
    public void endOthers(Session<T> keep) {
        String owner = ownerOf.apply(keep.value());
        live.values().removeIf(e -> !e.session().id().equals(keep.id())
                && owner.equals(ownerOf.apply(e.session().value())));
    }

    @Override
    public void endAllOf(Predicate<T> whose) {
        live.values().removeIf(e -> whose.test(e.session().value()));
    }

    @Override
    public void sweep() {
        Instant now = clock.instant();
        live.values().removeIf(e -> expired(e, now));
    }

    private boolean expired(Entry<T> e, Instant now) {
        return e.lastSeen().plus(idleTimeout).isBefore(now) || !now.isBefore(e.created().plus(lifetime));
    }
}
