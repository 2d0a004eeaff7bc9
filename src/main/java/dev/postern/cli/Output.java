package dev.postern.cli;

import dev.postern.admin.NewRecipient;
import java.io.PrintWriter;

/** How the CLI prints new credentials: one per line, fixed prefixes that scripts can parse. */
final class Output {
    private Output() {
    }

    static void credentials(PrintWriter out, NewRecipient r) {
        out.println("Username: " + r.username());
        out.println("Password: " + r.password());
        out.println("TOTP secret: " + r.totpSecret());
        out.println("TOTP URI: " + r.totpUri());
    }
}
