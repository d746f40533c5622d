# syntax=docker/dockerfile:1
# rnn-serving image: `docker build -t rnn-serving .` from a clean checkout, nothing prebuilt.

# ---- build: compile with the project's own Maven wrapper, then split the jar into Boot's layers
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
# Tests run in CI, not in the image build (src/test is not even sent, see .dockerignore);
# the cache mount keeps ~/.m2 and the wrapper's Maven between builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw --batch-mode --no-transfer-progress -Dmaven.test.skip=true package \
 && cp target/rnn-serving-*.jar application.jar \
 && java -Djarmode=tools -jar application.jar extract --layers --destination extracted

# ---- runtime: a JRE only, the app as a fixed non-root UID
FROM eclipse-temurin:25-jre
WORKDIR /application
# Layers in order of how rarely they change, so a code change rebuilds only the last one.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
# /models is where the model file is mounted read-only; MODEL_PATH names the file in it
# (unset, the service serves its embedded default model).
RUN mkdir /models
# The JVM's options in one place, read by any `java` started in the image: the Vector API module lets the engine
# run its SIMD step kernel (the JVM notes on stderr that it is incubating); the heap follows the container's
# memory limit; an OOM ends the JVM so the orchestrator restarts it.
ENV JDK_JAVA_OPTIONS="--add-modules jdk.incubator.vector -XX:MaxRAMPercentage=75.0 -XX:InitialRAMPercentage=25.0 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "application.jar"]
