package io.rnnserving.repository;

/** Where a model version is in its life: TensorFlow Serving's states, plus FAILED for a version that did not load. */
public enum VersionState {
    /** Being read, checked and warmed up; not yet answering. */
    LOADING,
    /** Answering requests. */
    AVAILABLE,
    /** No longer given to new requests; requests that started on it are finishing. */
    UNLOADING,
    /** Released: nothing uses it and its weights are gone. */
    END,
    /** Its files could not be served; retried only when they change. */
    FAILED
}
