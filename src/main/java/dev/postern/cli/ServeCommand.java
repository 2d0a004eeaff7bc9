package dev.postern.cli;

import dev.postern.Postern;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code postern serve}: runs the web server until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the source pages and the desk.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        var c = config.load();
        if (java.nio.file.Files.exists(c.dataDir().resolve(DemoCommand.CREDENTIALS))) {
            spec.commandLine().getErr().println("error: " + c.dataDir() + " is a demo directory (it keeps a password in"
                    + " plaintext); serve a real deployment from a directory made by 'postern init'");
            return 1;
        }
        Postern postern = Postern.open(c, Clock.systemUTC()).serve();
        Runtime.getRuntime().addShutdownHook(new Thread(postern::close));
        spec.commandLine().getOut().println("Source page: " + postern.baseUrl() + "/");
        spec.commandLine().getOut().println("Desk: " + postern.deskUrl() + "/desk");
        spec.commandLine().getOut().flush();
        Thread.currentThread().join();
        return 0;
    }
}
