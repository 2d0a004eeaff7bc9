package dev.postern.cli;

import dev.postern.Postern;
import dev.postern.config.PosternConfig;
import dev.postern.config.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code postern init}: a data directory, a config file and a migrated database. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a data directory, a configuration file and the database for a real deployment.")
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory to create.")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file to write (default: DIR/postern.properties).")
    Path config;

    @Option(names = "--database-url", paramLabel = "JDBC_URL", defaultValue = "",
            description = "PostgreSQL JDBC URL; empty for the embedded database in DIR.")
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "USER", defaultValue = "")
    String databaseUser;

    @Option(names = "--port", defaultValue = "8080", description = "Source site port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--desk-port", defaultValue = "8081", description = "Desk port (default: ${DEFAULT-VALUE}).")
    int deskPort;

    @Override
    public Integer call() throws Exception {
        Path file = config != null ? config : data.resolve("postern.properties");
        if (Files.exists(file)) {
            spec.commandLine().getErr().println("error: " + file + " exists; not overwriting it");
            return 1;
        }
        if (Files.exists(data.resolve(DemoCommand.CREDENTIALS)) || Files.exists(data.resolve("db"))) {
            // A demo directory keeps a recipient's password in plaintext: never a real deployment.
            spec.commandLine().getErr().println("error: " + data + " already holds an instance (a demo?);"
                    + " a real deployment starts in a new, empty directory");
            return 1;
        }
        // The pinning key lives beside the config, apart from the database (and from the data directory
        // too, when the config is kept elsewhere).
        PosternConfig c = PosternConfig.embedded(data, port).withPorts(port, deskPort)
                .withDatabase(databaseUrl, databaseUser, new Secret(""))
                .withPinningKeyFile(file.toAbsolutePath().getParent().resolve(PosternConfig.PINNING_KEY_FILE));
        try (Postern p = Postern.open(c, Clock.systemUTC())) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, c.toProperties(), StandardCharsets.UTF_8);
        }
        var out = spec.commandLine().getOut();
        out.println("Created " + c.dataDir());
        out.println("Config: " + file.toAbsolutePath());
        out.println("Pinning key: " + c.pinningKeyFile() + " (back it up, apart from the database)");
        out.println("Next: postern org add --config " + file + " --slug SLUG --name NAME");
        out.println("      postern user add --config " + file + " --org SLUG --username NAME");
        out.println("      postern serve --config " + file);
        return 0;
    }
}
