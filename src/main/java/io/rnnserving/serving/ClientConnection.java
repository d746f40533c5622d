package io.rnnserving.serving;

import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Whether the client of the request served on this thread is still connected. The web server binds a check of the
 * connection to the thread that serves it ({@code system.HangUpDetectingProtocol}); where none is bound (another
 * server, a test without one), the client is taken to stay.
 */
public final class ClientConnection {
    private static final ThreadLocal<BooleanSupplier> HUNG_UP = new ThreadLocal<>();

    private ClientConnection() {
    }

    /** From now on this thread serves a connection; {@code hungUp} is asked only on this thread. */
    public static void bind(BooleanSupplier hungUp) {
        HUNG_UP.set(hungUp);
    }

    public static void unbind() {
        HUNG_UP.remove();
    }

    /** True once the client of this thread's request has closed its connection; null when nothing can tell. */
    static @Nullable BooleanSupplier hungUpCheck() {
        return HUNG_UP.get();
    }
}
