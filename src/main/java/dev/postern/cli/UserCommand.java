package dev.postern.cli;

import dev.postern.Postern;
import dev.postern.admin.AdminException;
import dev.postern.admin.AdminService;
import dev.postern.admin.NewRecipient;
import dev.postern.domain.Role;
import dev.postern.store.RecipientAccount;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code postern user ...}: colleagues' accounts (the same AdminService methods as the desk's colleagues page). */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage colleagues (recipients and administrators).",
        subcommands = {UserCommand.Add.class, UserCommand.Pin.class, UserCommand.ListUsers.class, UserCommand.Disable.class,
                UserCommand.Enable.class, UserCommand.Reset.class, UserCommand.SetRole.class})
final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a colleague: prints the password (generated unless --password-stdin) and the TOTP secret, once.",
                    "The first colleague of an organization is its administrator unless --role says otherwise."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--org", required = true, description = "Organization slug.")
        String org;
        @Option(names = "--username", required = true)
        String username;
        @Option(names = "--display-name", defaultValue = "", description = "Name shown to colleagues.")
        String displayName;
        @Option(names = "--role", paramLabel = "admin|recipient",
                description = "Role (default: admin for an organization's first colleague, else recipient).")
        String role;
        @Option(names = "--password-stdin", description = "Read the password from standard input instead of generating one.")
        boolean passwordStdin;

        @Override
        public Integer call() throws Exception {
            String password = null;
            if (passwordStdin) {
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                var out = spec.commandLine().getOut();
                NewRecipient added = p.admin().addRecipient(org, username, displayName, role(role), password);
                Output.credentials(out, added, !passwordStdin);
                out.println("Role: " + p.admin().recipient(username).role().name().toLowerCase(Locale.ROOT));
                out.println("Reports that arrived before this account are not readable by it until a colleague"
                        + " grants them in the desk.");
            }
            return 0;
        }
    }

    /** null (the default) or a role by its name, any case; the service refuses anything else. */
    private static Role role(String name) throws AdminException {
        if (name == null) {
            return null;
        }
        for (Role r : Role.values()) {
            if (r.name().equalsIgnoreCase(name.strip())) {
                return r;
            }
        }
        throw new AdminException(AdminException.Reason.BAD_ROLE, "role must be admin or recipient");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List an organization's colleagues: username, role, state, display name.")
    static final class ListUsers implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--org", required = true, description = "Organization slug.")
        String org;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                for (RecipientAccount a : p.admin().recipients(org)) {
                    spec.commandLine().getOut().println(a.username() + "\t" + a.role().name().toLowerCase(Locale.ROOT)
                            + "\t" + (a.active() ? "active" : "disabled") + (a.keyPinned() ? "" : ",key-not-pinned")
                            + "\t" + a.displayName());
                }
            }
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = {"Disable a colleague: their login fails like a wrong password, and they lose the"
                    + " organization's keys.",
                    "New content on their reports is rotated to a new key when an administrator next logs in to the desk."})
    static final class Disable implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--username", required = true)
        String username;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                p.admin().disable(username);
                var out = spec.commandLine().getOut();
                out.println("Disabled " + username + ": they can no longer log in (a desk session still open ends"
                        + " at its next request).");
                out.println("New content on their reports is rotated to a new key generation when an administrator"
                        + " next logs in to the desk; until then they could read it with a key they kept.");
            }
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Enable a disabled colleague. Reports need to be granted to them again in the desk.")
    static final class Enable implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--username", required = true)
        String username;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                p.admin().enable(username);
                spec.commandLine().getOut().println("Enabled " + username + ". The organization's keys reach them"
                        + " when a colleague who holds them next logs in; reports need a new grant in the desk.");
            }
            return 0;
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Reset a colleague who lost their password or phone: new password, TOTP secret and key pair,"
                    + " printed once.",
                    "Their old key is destroyed with every report key wrapped to it: colleagues grant the reports again."})
    static final class Reset implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--username", required = true)
        String username;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                var out = spec.commandLine().getOut();
                Output.credentials(out, p.admin().reset(username), true);
                out.println("The old password, TOTP secret and key no longer work. Reports must be granted to this"
                        + " account again in the desk.");
            }
            return 0;
        }
    }

    @Command(name = "role", mixinStandardHelpOptions = true,
            description = "Make a colleague an administrator or a plain recipient (the last active administrator stays one).")
    static final class SetRole implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--username", required = true)
        String username;
        @Option(names = "--role", required = true, paramLabel = "admin|recipient")
        String role;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                p.admin().setRole(username, role);
                spec.commandLine().getOut().println(username + " is now "
                        + (p.admin().recipient(username).role().isAdmin() ? "an administrator." : "a recipient."));
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
