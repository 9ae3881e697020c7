package io.supportroi.cli;

/**
 * A bad argument, option, path or setting: the command did nothing and says why in one line (exit code 2). Thrown
 * before any Spark work wherever the command can tell, so that exit code 2 means "fix the command line", never "the
 * run broke half-way".
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
