/**
 * The root path: KServe V1's liveness answer for API clients, and for browsers the trace page, plain HTML, CSS and
 * JavaScript that runs a model through the public API and draws its hidden states.
 */
@NullMarked
package io.rnnserving.ui;

import org.jspecify.annotations.NullMarked;
