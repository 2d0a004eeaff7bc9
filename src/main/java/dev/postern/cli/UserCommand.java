package dev.postern.cli;

import dev.postern.Postern;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code postern user ...}: recipient accounts. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage recipient accounts.",
        subcommands = {UserCommand.Add.class})
final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a recipient: prints the password (generated unless --password-stdin) and the TOTP secret, once.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--org", required = true, description = "Organization slug.")
        String org;
        @Option(names = "--username", required = true)
        String username;
        @Option(names = "--password-stdin", description = "Read the password from standard input instead of generating one.")
        boolean passwordStdin;

        @Override
        public Integer call() throws Exception {
            String password = null;
            if (passwordStdin) {
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                Output.credentials(spec.commandLine().getOut(), p.admin().addRecipient(org, username, password),
                        !passwordStdin);
                spec.commandLine().getOut().println("Reports that arrived before this account are not readable by it.");
            }
            return 0;
        }
    }
}
