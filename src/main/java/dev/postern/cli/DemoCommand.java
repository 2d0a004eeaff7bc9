package dev.postern.cli;

import dev.postern.Postern;
import dev.postern.admin.NewRecipient;
import dev.postern.config.PosternConfig;
import dev.postern.domain.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code postern demo}: an instance on embedded defaults with one organization and one recipient,
 * ready to try. Its credentials are kept in the demo data directory (DEMO-CREDENTIALS) so a
 * restarted demo prints them again: never use a demo directory for real reports.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a demo instance (embedded database, 'Demo newsroom' with the EU clocks on, one administrator).")
final class DemoCommand implements Callable<Integer> {
    static final String CREDENTIALS = "DEMO-CREDENTIALS";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--desk-port", defaultValue = "-1", paramLabel = "PORT",
            description = "Desk port (default: the HTTP port + 1).")
    int deskPort;

    @Option(names = "--data", defaultValue = "postern-data", paramLabel = "DIR",
            description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(data.resolve("postern.properties"))) {
            spec.commandLine().getErr().println("error: " + data + " belongs to a real deployment ('postern init');"
                    + " use 'postern serve --config' there, or another --data for the demo");
            return 1;
        }
        Postern postern = Postern.open(PosternConfig.embedded(data, port)
                .withPorts(port, deskPort >= 0 ? deskPort : PosternConfig.embedded(data, port).deskPort()), Clock.systemUTC());
        Path file = postern.config().dataDir().resolve(CREDENTIALS);
        String credentials;
        if (Files.exists(file)) {
            credentials = Files.readString(file, StandardCharsets.UTF_8);
        } else {
            postern.admin().addOrganization("demo", "Demo newsroom",
                    "This is a demo instance of Postern. Do not send real reports here.");
            // The demo shows everything: the EU deadlines are kept, and its one colleague administers it.
            postern.admin().updateSettings("demo", true, null, null);
            NewRecipient r = postern.admin().addRecipient("demo", "editor", "Demo editor", Role.ADMIN, null);
            credentials = "Username: " + r.username() + "\nPassword: " + r.password() + "\nTOTP secret: "
                    + r.totpSecret() + "\n";
            Files.writeString(file, credentials, StandardCharsets.UTF_8);
        }
        postern.serve();
        Runtime.getRuntime().addShutdownHook(new Thread(postern::close));
        var out = spec.commandLine().getOut();
        out.println("Source page: " + postern.baseUrl() + "/");
        out.println("Desk: " + postern.deskUrl() + "/desk");
        out.print(credentials);
        out.println("(Current TOTP code: postern totp --secret SECRET, or add the secret to an authenticator app.)");
        out.flush();
        Thread.currentThread().join();
        return 0;
    }
}
