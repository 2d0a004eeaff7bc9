package dev.postern.cli;

import dev.postern.vault.Totp;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code postern totp}: the current code for a secret, for trying the demo without a phone. */
@Command(name = "totp", mixinStandardHelpOptions = true,
        description = "Print the current TOTP code for a base32 secret (for demos; real recipients use an authenticator app).")
final class TotpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--secret", required = true, paramLabel = "BASE32")
    String secret;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(Totp.code(Totp.fromBase32(secret), Totp.step(Instant.now())));
        return 0;
    }
}
