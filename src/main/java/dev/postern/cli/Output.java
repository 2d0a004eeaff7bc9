package dev.postern.cli;

import dev.postern.admin.NewRecipient;
import java.io.PrintWriter;

/** How the CLI prints new credentials: one per line, fixed prefixes that scripts can parse. */
final class Output {
    private Output() {
    }

    /** @param showPassword false when the operator typed the password: never echo it back */
    static void credentials(PrintWriter out, NewRecipient r, boolean showPassword) {
        out.println("Username: " + r.username());
        if (showPassword) {
            out.println("Password: " + r.password());
        }
        out.println("TOTP secret: " + r.totpSecret());
        out.println("TOTP URI: " + r.totpUri());
    }
}
