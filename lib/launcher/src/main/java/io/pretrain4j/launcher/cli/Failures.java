package io.pretrain4j.launcher.cli;

import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import io.pretrain4j.domain.ErrorType;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Secrets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.InvalidPathException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one clear line on stderr and an exit code: 2 for bad input or
 * configuration, 1 for anything else (with the stack trace, since that is a bug or an outage).
 */
public final class Failures implements IExecutionExceptionHandler {
    /** Exit code for input or configuration the operator must fix. */
    public static final int BAD_INPUT = 2;

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        Throwable failure = unwrap(exception);
        if (failure instanceof InvalidPathException path) {
            commandLine.getErr().println("error: " + Logging.unrepresentableFileName(path.getInput()));
            return BAD_INPUT;
        }
        if (failure instanceof Pretrain4jException known) {
            commandLine.getErr().println("error: " + known.getMessage());
            return known.errorCode().type() == ErrorType.USER ? BAD_INPUT : 1;
        }
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        commandLine.getErr().println(Secrets.redact("error: " + failure));
        commandLine.getErr().print(Secrets.redact(trace.toString()));
        commandLine.getErr().flush();
        return 1;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof ProvisionException || current instanceof CreationException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        if (current instanceof ProvisionException provision
                && !provision.getErrorMessages().isEmpty()
                && provision.getErrorMessages().iterator().next().getCause() != null) {
            return provision.getErrorMessages().iterator().next().getCause();
        }
        return current;
    }
}
