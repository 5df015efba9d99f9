package io.logflow.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/**
 * Runs a command's entry point ({@code Main::execute}, {@code Demo::execute}) with stdout and stderr captured: what a
 * user of the command sees, and its exit code. The output is also passed on, so a failing test shows it.
 */
public final class Console {
    public final int exitCode;
    public final String out;
    public final String err;

    private Console(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    public static Console run(ToIntFunction<String[]> command, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = command.applyAsInt(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Console console = new Console(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldOut.print(console.out);
        oldErr.print(console.err);
        return console;
    }
}
