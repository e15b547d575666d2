package org.cyphon.cli.client;

/**
 * Input the CLI rejects before asking the coordinator: an unparsable size in a flag, a job file with
 * an unknown key, a missing or broken client config. The message names the option, key or file.
 * Exit code 2, like picocli's own usage errors.
 */
public final class InvalidInput extends CliFailure {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public InvalidInput(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
