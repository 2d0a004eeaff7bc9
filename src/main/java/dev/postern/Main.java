package dev.postern;

import dev.postern.admin.AdminException;
import dev.postern.cli.Commands;
import dev.postern.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code postern} command line. Exit codes: 0 done, 1 refused or failed, 2 usage. */
@Command(name = "postern", mixinStandardHelpOptions = true, version = "Postern 0.1.0",
        description = "A channel for sources to hand claims and evidence to journalists and investigators.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        Commands.register(cl);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof AdminException || e instanceof ConfigException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            commandLine.getErr().println("error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
