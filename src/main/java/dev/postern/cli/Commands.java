package dev.postern.cli;

import picocli.CommandLine;

/** Registers every CLI subcommand. */
public final class Commands {
    private Commands() {
    }

    public static void register(CommandLine cl) {
        cl.addSubcommand(new DemoCommand());
        cl.addSubcommand(new InitCommand());
        cl.addSubcommand(new ServeCommand());
        cl.addSubcommand(new OrgCommand());
        cl.addSubcommand(new UserCommand());
        cl.addSubcommand(new TotpCommand());
        cl.addSubcommand(new CompactCommand());
        cl.addSubcommand(new dev.postern.sanitize.SanitizeCommand());
    }
}
