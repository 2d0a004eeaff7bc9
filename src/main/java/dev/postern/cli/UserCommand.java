package dev.postern.cli;

import dev.postern.Postern;
import dev.postern.admin.AdminService;
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
        subcommands = {UserCommand.Add.class, UserCommand.Pin.class})
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

    @Command(name = "pin", mixinStandardHelpOptions = true,
            description = {"Pin the public key a recipient's row holds now, so that reports are wrapped to it and"
                    + " its owner can log in (rows from before pinning, or after a new pinning key).",
                    "Prints the key's fingerprint. Pin only a recipient you know; their next login proves"
                    + " that the key is theirs. Creates the pinning key file if it is missing."})
    static final class Pin implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--username", required = true)
        String username;
        @Option(names = "--fingerprint", paramLabel = "HEX",
                description = "Pin only if the key has this fingerprint (as printed before).")
        String fingerprint;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.openCreatingPinningKey(config.load(), Clock.systemUTC())) {
                AdminService.PinnedKey k = p.admin().pinRecipientKey(username, fingerprint);
                var out = spec.commandLine().getOut();
                out.println("Username: " + k.username());
                out.println("Public key fingerprint: " + k.fingerprint());
                out.println(k.wasPinned() ? "The key was already pinned; pinned again."
                        : "Pinned. Reports are wrapped to this key from now on, and its owner can log in: a"
                        + " successful login proves that the key is the public half of their own private key.");
            }
            return 0;
        }
    }
}
