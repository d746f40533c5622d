package io.rnnserving.repository;

/**
 * A request named a model or version that is not served, or named none while several are; the message says what
 * is served instead, in one line.
 */
public class ModelNotFoundException extends RuntimeException {

    public ModelNotFoundException(String message) {
        super(message, null, false, false);
    }
}
