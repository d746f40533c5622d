#!/usr/bin/env bash
# Builds the real Dockerfile and serves one /predict from the image, on a machine without a Docker engine.
#
# Stand-in base images are made from Debian packages and tagged with the names the Dockerfile's FROM lines
# use (Debian's JDK 17 for eclipse-temurin:17-jdk, Debian's JRE 17 for eclipse-temurin:25-jre); the
# Dockerfile is built unchanged with `podman build --isolation=chroot`. Since `podman run` is blocked here,
# the image's filesystem is exported and its own entrypoint runs in a chroot, as the image's user, in fresh
# mount, PID and network namespaces, with a model mounted read-only at /models.
#
# Run as root, by hand (not in CI): scripts/container-smoke.sh
# Kept between runs: the Debian root filesystems and podman's storage in $RNN_SMOKE_CACHE (default
# ~/.cache/rnn-serving-smoke), and buildah's cache mounts (the build's ~/.m2) in /var/tmp/buildah-cache.
# `scripts/container-smoke.sh --purge` deletes both.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${RNN_SMOKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rnn-serving-smoke}
SUITE=bookworm
MIRROR=${RNN_SMOKE_MIRROR:-http://deb.debian.org/debian}
IMAGE=localhost/rnn-serving:smoke
CONTAINER=rnn-serving-smoke-$$
MODEL=$ROOT/src/main/resources/models/notebook-simple-rnn.json

if [[ ${1:-} == --purge ]]; then
    rm -rf "$CACHE" /var/tmp/buildah-cache
    echo "removed $CACHE and /var/tmp/buildah-cache"
    exit 0
fi
[[ $(id -u) == 0 ]] || { echo "run as root (debootstrap, chroot and namespaces need it)" >&2; exit 1; }

PODMAN=(podman --root "$CACHE/storage" --runroot "$CACHE/run" --storage-driver vfs
        --cgroup-manager cgroupfs --events-backend none)
WORK=$(mktemp -d /tmp/rnn-serving-smoke.XXXXXX)
SERVER_PID=
MEMORY_LIMIT=$((512 * 1024 * 1024))  # as in deploy/kubernetes/deployment.yaml
CGROUP=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)/rnn-serving-smoke-$$
START=$SECONDS

log() { printf '[smoke %3ds] %s\n' $((SECONDS - START)) "$*"; }

# unshare --fork ignores SIGTERM itself: signal its child (the entrypoint's process) and wait for both.
stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        pkill "-$1" -P "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=
}

cleanup() {
    local rc=$?
    stop_server KILL
    rmdir "$CGROUP" 2>/dev/null || true
    "${PODMAN[@]}" rm --force --ignore "$CONTAINER" >/dev/null 2>&1 || true
    for name in "$IMAGE" {localhost,docker.io/library}/eclipse-temurin:{17-jdk,25-jre}; do
        "${PODMAN[@]}" rmi --force "$name" >/dev/null 2>&1 || true
    done
    "${PODMAN[@]}" image prune --force >/dev/null 2>&1 || true
    # The rootfs had /proc and /dev nodes mounted only inside the server's mount namespace: nothing to unmount.
    rm -rf "$WORK"
    if [[ $rc == 0 ]]; then log "PASS"; else log "FAIL (exit $rc); server log was printed above"; fi
}
trap cleanup EXIT
trap 'exit 143' INT TERM

need() {
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# A Debian root filesystem, as a tarball in the cache: a minbase debootstrap, plus packages for the others.
rootfs_tar() {
    local name=$1; shift
    local tar=$CACHE/$name.tar dir=$WORK/rootfs-$name
    if [[ -s $tar ]]; then echo "$tar"; return; fi
    mkdir -p "$dir"
    if [[ $name == minbase ]]; then
        log "debootstrap --variant=minbase $SUITE" >&2
        debootstrap --variant=minbase "$SUITE" "$dir" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
            || { tail -20 "$WORK/debootstrap.log" >&2; return 1; }
    else
        tar -C "$dir" -xf "$(rootfs_tar minbase)"
        log "apt-get install into $name: $*" >&2
        cp /etc/resolv.conf "$dir/etc/resolv.conf"
        # CAs this machine adds (a TLS-inspecting egress proxy) must be trusted inside the build too,
        # or Maven Central is unreachable from the build stage; the JDK's cacerts picks them up on install.
        mkdir -p "$dir/usr/local/share/ca-certificates"
        cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/" 2>/dev/null || true
        # /proc for the JDK's post-install scripts, mounted in a private mount namespace.
        unshare --mount --fork bash -c '
            set -e
            mount -t proc proc "$1/proc"
            chroot "$1" apt-get update -qq
            DEBIAN_FRONTEND=noninteractive chroot "$1" apt-get install -y -qq --no-install-recommends "${@:2}"
        ' apt "$dir" "$@" >"$WORK/apt-$name.log" 2>&1 || { tail -20 "$WORK/apt-$name.log" >&2; return 1; }
    fi
    chroot "$dir" apt-get clean
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/tmp/* "$dir"/var/cache/apt/*.bin
    tar --numeric-owner -C "$dir" -cf "$tar.part" . && mv "$tar.part" "$tar"
    rm -rf "$dir"
    echo "$tar"
}

import_base() {
    local tar=$1 name=$2 java_home=$3
    # Names as the FROM lines resolve them, with or without a registry prefix.
    "${PODMAN[@]}" import \
        --change "ENV JAVA_HOME=$java_home" \
        --change "ENV PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "ENV LANG=C.UTF-8" \
        "$tar" "$name" >/dev/null
    "${PODMAN[@]}" tag "$name" "docker.io/library/$name"
}

need podman debootstrap curl jq util-linux
mkdir -p "$CACHE"

log "stand-in base images from Debian $SUITE packages"
jdk_tar=$(rootfs_tar jdk17 openjdk-17-jdk-headless ca-certificates curl)
jre_tar=$(rootfs_tar jre17 openjdk-17-jre-headless ca-certificates)
import_base "$jdk_tar" eclipse-temurin:17-jdk /usr/lib/jvm/java-17-openjdk-amd64
import_base "$jre_tar" eclipse-temurin:25-jre /usr/lib/jvm/java-17-openjdk-amd64

log "podman build of the Dockerfile, unchanged"
build_start=$SECONDS
"${PODMAN[@]}" build --isolation=chroot --network=host --pull=never --layers=false \
    -f "$ROOT/Dockerfile" -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1 \
    || { tail -40 "$WORK/build.log"; exit 1; }
build_seconds=$((SECONDS - build_start))
size_bytes=$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")
log "built $IMAGE in ${build_seconds}s, $((size_bytes / 1000000)) MB"

user=$("${PODMAN[@]}" image inspect --format '{{.Config.User}}' "$IMAGE")
workdir=$("${PODMAN[@]}" image inspect --format '{{.Config.WorkingDir}}' "$IMAGE")
mapfile -t entrypoint < <("${PODMAN[@]}" image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$IMAGE" | sed '/^$/d')
mapfile -t image_env < <("${PODMAN[@]}" image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | sed '/^$/d')
ports=$("${PODMAN[@]}" image inspect --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}' "$IMAGE")
log "image config: User=$user WorkingDir=$workdir Entrypoint=${entrypoint[*]} ExposedPorts=$ports"
[[ $user =~ ^[1-9][0-9]*:[0-9]+$ ]] || { echo "image user '$user' is not a numeric non-root UID:GID" >&2; exit 1; }
[[ $ports == *8080/tcp* ]] || { echo "image does not expose 8080/tcp" >&2; exit 1; }

log "exporting the image's filesystem"
rootfs=$WORK/rootfs
mkdir -p "$rootfs" "$WORK/models"
"${PODMAN[@]}" create --name "$CONTAINER" "$IMAGE" >/dev/null
"${PODMAN[@]}" export "$CONTAINER" | tar -x -C "$rootfs"
cp "$MODEL" "$WORK/models/model.json"
chmod -R a+rX "$WORK/models"

log "starting the entrypoint as $user in a chroot: own mount, PID and network namespaces, read-only root, memory limit $((MEMORY_LIMIT >> 20)) MiB"
mkdir "$CGROUP"
echo "$MEMORY_LIMIT" >"$CGROUP/memory.limit_in_bytes"
# Inside the namespaces: loopback up; the root filesystem read-only as with readOnlyRootFilesystem, a tmpfs
# at /tmp, /proc, a minimal /dev, the memory cgroup (so the JVM sees its limit), the model read-only at
# /models; then the image's entrypoint with only the image's environment plus MODEL_PATH and JSON logs.
unshare --mount --pid --net --fork --kill-child bash -c '
    set -e
    rootfs=$1 models=$2 user=$3 cgroup=$4; shift 4
    echo $$ >"$cgroup/cgroup.procs"
    ip link set lo up
    mount --bind "$rootfs" "$rootfs"
    mount -t proc proc "$rootfs/proc"
    mount -t tmpfs -o mode=1777,size=64m tmpfs "$rootfs/tmp"
    mount -t tmpfs -o mode=755,size=64k tmpfs "$rootfs/dev"
    for node in null zero full random urandom tty; do
        touch "$rootfs/dev/$node"; mount --bind "/dev/$node" "$rootfs/dev/$node"
    done
    mount -t tmpfs -o mode=755,size=64k tmpfs "$rootfs/sys"
    # JDK 17 reads a cgroup v1 limit only when all four of these hierarchies are mounted.
    for controller in cpu cpuacct cpuset memory; do
        mkdir -p "$rootfs/sys/fs/cgroup/$controller"
        mount -t cgroup -o "ro,$controller" cgroup "$rootfs/sys/fs/cgroup/$controller"
    done
    mount --bind "$models" "$rootfs/models"
    mount -o remount,bind,ro "$rootfs/models"
    mount -o remount,bind,ro "$rootfs"
    exec chroot --userspec="$user" "$rootfs" /usr/bin/env -i "$@"
' smoke "$rootfs" "$WORK/models" "$user" "$CGROUP" \
    "${image_env[@]}" MODEL_PATH=/models/model.json LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs \
    /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${entrypoint[@]}" \
    >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
server_start=$SECONDS

in_ns() { nsenter --target "$SERVER_PID" --net -- "$@"; }
http() { in_ns curl --silent --show-error --max-time 10 "$@"; }
fail() { echo "--- server log"; cat "$WORK/server.log"; echo "--- $*" >&2; exit 1; }

ready=
for _ in $(seq 1 120); do
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited"
    if [[ $(http -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/actuator/health/readiness 2>/dev/null) == 200 ]]; then
        ready=1; break
    fi
    sleep 1
done
[[ -n $ready ]] || fail "not ready within 120 s"
log "ready $((SECONDS - server_start))s after start: $(http http://127.0.0.1:8080/actuator/health/readiness)"

# unshare's child execs chroot, env, sh and finally java: the same process all along.
java_pid=$(pgrep -P "$SERVER_PID")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$java_pid/status")
[[ $uid == "${user%%:*}" ]] || fail "java runs as uid $uid, expected ${user%%:*}"
log "java (pid $java_pid) runs as uid $uid"

liveness=$(http http://127.0.0.1:8080/actuator/health/liveness)
[[ $liveness == *'"UP"'* ]] || fail "liveness: $liveness"

body='{"x": [[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9],[1.0,1.1,1.2],[1.3,1.4,1.5],
              [1.6,1.7,1.8],[1.9,2.0,2.1],[2.2,2.3,2.4],[2.5,2.6,2.7],[2.8,2.9,3.0]]]}'
code=$(http -o "$WORK/predict.json" -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" http://127.0.0.1:8080/predict)
log "POST /predict -> $code $(cat "$WORK/predict.json")"
[[ $code == 200 ]] || fail "/predict answered $code"
jq -e '(.yhat | length) == 1 and (.yhat[0] | length) == 2 and (.yhat[0] | all(type == "number"))' "$WORK/predict.json" >/dev/null \
    || fail "unexpected /predict body"

metrics=$(http http://127.0.0.1:8080/actuator/prometheus)
grep -q '^http_server_requests_seconds_bucket{.*uri="/predict"' <<<"$metrics" \
    || fail "no latency histogram for /predict in /actuator/prometheus"
[[ $(http -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/actuator/env) == 404 ]] || fail "/actuator/env is exposed"
log "liveness UP, /actuator/prometheus has the /predict latency histogram, /actuator/env is 404"

heap_max=$(awk '/^jvm_memory_max_bytes\{.*area="heap"/ && $NF > 0 {sum += $NF} END {printf "%.0f", sum}' <<<"$metrics")
log "max heap $((heap_max >> 20)) MiB under the $((MEMORY_LIMIT >> 20)) MiB limit (MaxRAMPercentage=75)"
((heap_max > MEMORY_LIMIT / 2 && heap_max <= MEMORY_LIMIT * 3 / 4)) || fail "heap not sized from the memory limit"

json_lines=$(grep -c '^{"@timestamp"' "$WORK/server.log" || true)
((json_lines > 0)) || fail "no ECS JSON log lines"
! grep -q '2\.9,3\.0' "$WORK/server.log" || fail "the request payload was logged"
log "$json_lines ECS JSON log lines, no payload in them"
kernel=$(grep -o 'SIMD step kernel ([^)]*)' "$WORK/server.log" | head -1)
[[ -n $kernel ]] || fail "the engine did not start its SIMD kernel (is --add-modules jdk.incubator.vector in the image's JDK_JAVA_OPTIONS?)"
log "engine: $kernel"

stop_server TERM
grep -q 'Graceful shutdown complete' "$WORK/server.log" || fail "no graceful shutdown on SIGTERM"
log "SIGTERM: graceful shutdown complete"
log "total ${SECONDS}s"
