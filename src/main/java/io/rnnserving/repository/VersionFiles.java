package io.rnnserving.repository;

import java.util.function.Supplier;

import io.rnnserving.loading.LoadedModel;

/**
 * One version of a model as found where models come from.
 *
 * @param location    where its files are, for messages
 * @param fingerprint equal between two looks exactly when its files did not change in between
 * @param reader      reads the files into a model, or throws {@link io.rnnserving.loading.ModelLoadException}
 */
public record VersionFiles(long version, String location, Object fingerprint, Supplier<LoadedModel> reader) {
}
