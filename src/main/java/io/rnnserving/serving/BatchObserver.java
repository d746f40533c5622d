package io.rnnserving.serving;

/** Told about each engine call a {@link DynamicBatcher} makes, for metrics. Called from request threads. */
public interface BatchObserver {

    BatchObserver NONE = new BatchObserver() {
        @Override
        public void engineCalled(int requests, int samples) {
        }

        @Override
        public void waited(long queueNanos) {
        }

        @Override
        public void dropped(DynamicBatcher.Drop why) {
        }
    };

    /** One engine call ran {@code samples} samples of {@code requests} requests. */
    void engineCalled(int requests, int samples);

    /** A request waited this long between arriving and its engine call starting. */
    void waited(long queueNanos);

    /** A queued request left without being computed. */
    void dropped(DynamicBatcher.Drop why);
}
