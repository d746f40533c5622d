package io.rnnserving.loading;

/** A model file that cannot be served; the message names the file and what is wrong with it, in one line. */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
