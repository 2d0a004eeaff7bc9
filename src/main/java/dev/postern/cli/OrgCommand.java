package dev.postern.cli;

import dev.postern.Postern;
import dev.postern.store.Organization;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code postern org ...}: organizations that receive reports. */
@Command(name = "org", mixinStandardHelpOptions = true, description = "Manage organizations.",
        subcommands = {OrgCommand.Add.class, OrgCommand.Notice.class, OrgCommand.ListOrgs.class,
                OrgCommand.Settings.class})
final class OrgCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an organization.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--slug", required = true, description = "Short name in its source page URL: /o/SLUG")
        String slug;
        @Option(names = "--name", required = true, description = "Name shown to sources.")
        String name;
        @Option(names = "--notice", defaultValue = "", description = "Short text on its source page.")
        String notice;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                Organization o = p.admin().addOrganization(slug, name, notice);
                spec.commandLine().getOut().println("Added organization " + o.name() + " (source page: /o/" + o.slug() + ")");
            }
            return 0;
        }
    }

    @Command(name = "notice", mixinStandardHelpOptions = true, description = "Set an organization's source-page notice.")
    static final class Notice implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--slug", required = true)
        String slug;
        @Option(names = "--notice", required = true, description = "Plain text; empty to remove.")
        String notice;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                p.admin().setNotice(slug, notice);
                spec.commandLine().getOut().println("Notice updated.");
            }
            return 0;
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = {"Show or change an organization's settings (only those given change).",
                    "Administrators change the same settings in the desk (Settings)."})
    static final class Settings implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--slug", required = true)
        String slug;
        @Option(names = "--eu-clocks", arity = "1", paramLabel = "true|false",
                description = "Keep the EU Directive 2019/1937 deadlines (acknowledge in 7 days, feedback in 3 months).")
        Boolean euClocks;
        @Option(names = "--time-zone", paramLabel = "ZONE", description = "IANA time zone the deadlines are counted in.")
        String timeZone;
        @Option(names = "--source-may-exclude", arity = "1", paramLabel = "true|false",
                description = "Sources may leave named recipients out of their report.")
        Boolean sourceMayExclude;

        @Override
        public Integer call() throws Exception {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                Organization o = p.admin().updateSettings(slug, euClocks, timeZone, sourceMayExclude);
                var out = spec.commandLine().getOut();
                out.println("EU clocks: " + (o.euClocks() ? "on" : "off"));
                out.println("Time zone: " + o.timeZone());
                out.println("Sources may leave out recipients: " + (o.sourceMayExclude() ? "yes" : "no"));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List organizations.")
    static final class ListOrgs implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            try (Postern p = Postern.open(config.load(), Clock.systemUTC())) {
                for (Organization o : p.admin().organizations()) {
                    spec.commandLine().getOut().println(o.slug() + "\t" + o.name());
                }
            }
            return 0;
        }
    }
}
