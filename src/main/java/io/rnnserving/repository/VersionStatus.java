package io.rnnserving.repository;

import org.jspecify.annotations.Nullable;

/**
 * One version of a model as the repository sees it.
 *
 * @param reason for FAILED, the one-line reason; else null
 */
public record VersionStatus(long version, VersionState state, @Nullable String reason) {
}
