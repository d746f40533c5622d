package io.rnnserving.kserve;

import io.rnnserving.engine.RecurrentModel;
import org.jspecify.annotations.Nullable;

/**
 * An output tensor the request asked for, resolved once against the model, so that the response writers never parse
 * its name again.
 *
 * @param name   as asked: {@code yhat}, {@code hidden}, {@code state} or their per-layer forms
 * @param layer  the recurrent layer whose states it gives; null for {@code yhat}
 * @param binary sent as binary data after the JSON (the binary tensor data extension)
 */
record RequestedOutput(String name, Kind kind, @Nullable String layer, boolean binary) {

    enum Kind {
        /** The model's output. */
        YHAT,
        /** A recurrent layer's state after every step. */
        HIDDEN,
        /** A recurrent layer's final state. */
        STATE
    }

    /** Resolves a name that {@link Tensors#outputs} lists. */
    static RequestedOutput of(RecurrentModel model, String name, boolean binary) {
        if (name.equals(Tensors.YHAT)) {
            return new RequestedOutput(name, Kind.YHAT, null, binary);
        }
        Kind kind = name.startsWith(Tensors.HIDDEN) ? Kind.HIDDEN : Kind.STATE;
        return new RequestedOutput(name, kind, Tensors.layerOf(model, name).name(), binary);
    }
}
