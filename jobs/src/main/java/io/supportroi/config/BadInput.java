package io.supportroi.config;

/**
 * Input the user must fix, found below the command line: an effects file, a notebooks folder with no notebooks, a
 * warehouse not built yet, a setting that contradicts the classpath. The command line reports it as a bad argument
 * (exit code 2, one line). Any other IllegalArgumentException, Spark's and the JDK's included, is a failed run.
 */
public class BadInput extends IllegalArgumentException {
    public BadInput(String message) {
        super(message);
    }

    public BadInput(String message, Throwable cause) {
        super(message, cause);
    }
}
