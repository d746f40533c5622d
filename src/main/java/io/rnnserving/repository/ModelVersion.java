package io.rnnserving.repository;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.rnnserving.serving.ServedModel;
import org.jspecify.annotations.Nullable;

/**
 * One served version of a model: its weights, and how many requests are running on it. The repository holds one
 * reference while the version is served; each request holds one more from {@link #tryAcquire} to
 * {@link Lease#close}. When the last reference goes, the version ends and lets go of its weights.
 */
public final class ModelVersion {
    private final String model;
    private final long version;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile @Nullable ServedModel served;
    private volatile boolean retired;
    private final Consumer<ServedModel> onEnd;

    /** @param onEnd told the model once the last reference is gone, and must not keep it */
    ModelVersion(String model, long version, ServedModel served, Consumer<ServedModel> onEnd) {
        this.model = model;
        this.version = version;
        this.served = served;
        this.onEnd = onEnd;
    }

    public String model() {
        return model;
    }

    public long version() {
        return version;
    }

    /** AVAILABLE while served, UNLOADING while requests still run on it after that, END once released. */
    public VersionState state() {
        if (!retired) {
            return VersionState.AVAILABLE;
        }
        return references.get() > 0 ? VersionState.UNLOADING : VersionState.END;
    }

    /** A lease on this version for one request, or null when it has ended: take the repository's newer choice. */
    @Nullable Lease tryAcquire() {
        while (true) {
            int count = references.get();
            if (count == 0) {
                return null;
            }
            if (references.compareAndSet(count, count + 1)) {
                return new Lease(this);
            }
        }
    }

    /** No new request is given this version: the repository publishes that, then {@link #release}s its reference. */
    void markRetired() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }

    /** Drops one reference; the last one ends the version and lets go of its weights. */
    void release() {
        if (references.decrementAndGet() == 0) {
            ServedModel model = served;
            served = null;
            if (model != null) {
                onEnd.accept(model);
            }
        }
    }

    /** The model, while a lease or the repository holds this version. */
    ServedModel served() {
        ServedModel model = served;
        if (model == null) {
            throw new IllegalStateException(this.model + " version " + version + " has ended");
        }
        return model;
    }

    /** A request's hold on one version: everything it runs, runs on this version. Close it when the answer is made. */
    public static final class Lease implements AutoCloseable {
        private final ModelVersion version;
        private boolean closed;

        private Lease(ModelVersion version) {
            this.version = version;
        }

        public ServedModel served() {
            return version.served();
        }

        public String model() {
            return version.model();
        }

        public long version() {
            return version.version();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                version.release();
            }
        }
    }
}
