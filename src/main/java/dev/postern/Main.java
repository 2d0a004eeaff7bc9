package dev.postern;

import dev.postern.sanitize.SanitizeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code postern} command line. */
@Command(name = "postern", mixinStandardHelpOptions = true, version = "Postern 0.1.0",
        subcommands = {SanitizeCommand.class},
        description = "A channel for sources to hand claims and evidence to journalists and investigators.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
