package org.cyphon.cli;

import java.time.Instant;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Display;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.OverloadView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon overload [status|on|off]}: the pool's overload mode. On, desks whose policy allows
 * it hold their owner's VM to a CPU floor so a saturated server can borrow more of them; it is
 * bounded ({@code --until}, at most 24 h), needs a reason the people at the desks will read, and
 * ends by itself.
 */
@Command(
        name = "overload",
        mixinStandardHelpOptions = true,
        description = {
            "Show, switch on or switch off the pool's overload mode (on/off: admin).",
            "  cyphon overload on --until 2h --reason \"build server saturated\"",
            "  cyphon overload off"
        })
public final class OverloadCommand extends ApiCommand {
    @Parameters(paramLabel = "ACTION", defaultValue = "status", description = "status (default), on or off.")
    String action;

    @Option(
            names = "--until",
            paramLabel = "WHEN",
            description =
                    "With on: when it ends, a duration (2h, 90m) or an instant (2026-11-24T18:00:00Z); at most 24h ahead.")
    String until;

    @Option(names = "--reason", paramLabel = "TEXT", description = "With on: why; shown wherever the mode is shown.")
    String reason;

    @Option(names = "--json", description = "Print the API's OverloadView JSON.")
    boolean json;

    @Override
    protected void checkInput() {
        switch (action) {
            case "status", "off" -> {
                if (until != null || reason != null) throw new InvalidInput("--until and --reason go with 'on' only");
            }
            case "on" -> {
                if (until == null)
                    throw new InvalidInput(
                            "overload on needs --until (for example --until 2h): overload mode is always bounded");
                if (reason == null || reason.isBlank())
                    throw new InvalidInput("overload on needs --reason: the people at the desks see it");
            }
            default -> throw new InvalidInput("unknown action '" + action + "': status, on or off");
        }
    }

    @Override
    protected int run(CyphonClient client) {
        OverloadView v = switch (action) {
            case "on" -> client.overloadOn(until, reason);
            case "off" -> client.overloadOff();
            default -> client.overload();
        };
        print(json ? WireJson.pretty(v) : describe(v, Instant.now()) + "\n");
        return 0;
    }

    /** "overload mode ON until ... (by admin): reason" or "overload mode off". */
    static String describe(OverloadView v, Instant now) {
        if (v == null || !v.active() || (v.until() != null && !now.isBefore(v.until()))) {
            return v == null || v.since() == null
                    ? "overload mode off"
                    : "overload mode off (last: " + v.reason() + ", ended " + v.until() + ")";
        }
        return "overload mode ON until " + v.until() + " (switched on " + Display.ago(v.since(), now) + " by " + v.by()
                + "): " + v.reason();
    }
}
