package dev.postern.cli;

import dev.postern.Postern;
import dev.postern.store.StoreException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code postern compact}: purges what deleted replies and old row versions left in freed database
 * pages. The embedded database: stop the server first. PostgreSQL: WAL and backups need the
 * procedure in the README ("Deleting for good").
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Purge freed database pages, where deleted replies and old row versions stay until overwritten.",
                "Embedded database: stop the server first (SHUTDOWN COMPACT). PostgreSQL: VACUUM FULL of Postern's"
                        + " tables; WAL and backups need the README's procedure ('Deleting for good')."})
final class CompactCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
            spec.commandLine().getOut().println("Done: " + p.compactDatabase());
        } catch (StoreException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
