# Sourced by every script that starts the service or the engine (scripts/, bench/): the one place they take the
# JVM option from that lets the engine run its SIMD step kernel (the Vector API module, still incubating).
# Overridable, e.g. VECTOR_API_OPTION= to measure the plain-Java kernel.
VECTOR_API_OPTION=${VECTOR_API_OPTION-"--add-modules jdk.incubator.vector"}
