/** KServe Open Inference Protocol v2 (REST): a thin adapter from its tensors to the one engine call. */
@NullMarked
package io.rnnserving.kserve;

import org.jspecify.annotations.NullMarked;
