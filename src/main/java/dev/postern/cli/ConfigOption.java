package dev.postern.cli;

import dev.postern.config.PosternConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by commands that work on an existing instance. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Configuration file written by 'postern init'.")
    Path file;

    PosternConfig load() {
        if (!Files.isRegularFile(file)) {
            throw new dev.postern.config.ConfigException("no config file at " + file + " (create one with 'postern init')");
        }
        return PosternConfig.load(file);
    }
}
