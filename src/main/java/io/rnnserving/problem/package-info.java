/** Problem kinds, their problem+json documents and the protocols' error strings. */
@NullMarked
package io.rnnserving.problem;

import org.jspecify.annotations.NullMarked;
