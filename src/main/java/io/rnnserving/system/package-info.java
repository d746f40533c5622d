/** Configuration properties, startup wiring, health and OpenAPI setup. */
@NullMarked
package io.rnnserving.system;

import org.jspecify.annotations.NullMarked;
