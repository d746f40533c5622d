package io.rnnserving.kserve;

import io.rnnserving.engine.RecurrentModel;
import org.jspecify.annotations.Nullable;

/**
 * An output tensor the request asked for, resolved once against the model, so that the response writers never parse
 * its name again.
 *
 * @param name   as asked: {@code yhat}, or a name of {@link Tensors#stateOutputs}
 * @param layer  the recurrent layer whose states it gives; null for {@code yhat}
 * @param part   which part of that layer's state ({@code h}, {@code c}, {@code forward_h}, …); null for {@code yhat}
 * @param binary sent as binary data after the JSON (the binary tensor data extension)
 */
record RequestedOutput(String name, Kind kind, @Nullable String layer, @Nullable String part, boolean binary) {

    enum Kind {
        /** The model's output. */
        YHAT,
        /** A recurrent layer's state part after every step. */
        HIDDEN,
        /** A recurrent layer's final state part. */
        STATE
    }

    /** Resolves a name that {@link Tensors#outputs} lists. */
    static RequestedOutput of(RecurrentModel model, String name, boolean binary) {
        if (name.equals(Tensors.YHAT)) {
            return new RequestedOutput(name, Kind.YHAT, null, null, binary);
        }
        Tensors.StateTensor tensor = Tensors.stateOutput(model, name).orElseThrow();
        Kind kind = name.startsWith(Tensors.HIDDEN) ? Kind.HIDDEN : Kind.STATE;
        return new RequestedOutput(name, kind, tensor.layer().name(), tensor.part(), binary);
    }
}
