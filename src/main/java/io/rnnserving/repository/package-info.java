/**
 * The model repository: several models, each served in one or more versions found in a folder, with new versions
 * loaded, checked, warmed up and swapped in while requests run. Framework-free: the wiring lives in {@code system}.
 */
@NullMarked
package io.rnnserving.repository;

import org.jspecify.annotations.NullMarked;
