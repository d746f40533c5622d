/** The streaming JSON reader of request bodies: tokens straight into primitive arrays, problems with pointers. */
@NullMarked
package io.rnnserving.protocol.json;

import org.jspecify.annotations.NullMarked;
