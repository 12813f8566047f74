#!/usr/bin/env bash
# Build the CPU image and use it as the README's Docker commands do; CI runs this.
#   bash docker/test-image.sh [BASE]
# BASE: the image to build on (default: a stand-in made here by docker/make-base.sh from
# this machine's Python 3.6.15 ($PY36), since no image registry can be reached). MNIST is baked in
# from ../shared/mnist through a static file server on 127.0.0.1 (--build-arg
# MNIST_MIRROR). Containers use the host's loopback or no network at all; each one this
# script starts is stopped and removed by its id, whatever happens.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mnist=${TF1_MNIST_DATA_DIR:-$root/../shared/mnist}
tutorial_img=${TUTORIAL_IMG:-$root/../shared/seeds/test_img.png}
image=${IMAGE:-tf1-mnist:ci}
py36=${PY36:-/root/.pyenv/versions/3.6.15/bin/python3.6}
work=$(mktemp -d)
containers=()
mirror_pid=

cleanup() {
    for id in "${containers[@]}"; do docker rm -f "$id" >/dev/null 2>&1 || true; done
    [ -z "$mirror_pid" ] || kill "$mirror_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n---- docker: %s\n' "$*"; }
fail() { echo "docker test FAILED: $*" >&2; exit 1; }
seconds() { date +%s.%N; }
elapsed() { python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$@"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
detached() {  # detached VAR DOCKER_RUN_ARGS...: start a container, remember its id
    local _cid
    _cid=$(docker run -d "${@:2}")
    containers+=("$_cid")
    printf -v "$1" '%s' "$_cid"
}
wait_for_log() {  # wait_for_log ID TEXT SECONDS
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        docker logs "$1" 2>&1 | grep -qF -- "$2" && return 0
        sleep 0.1
    done
    docker logs "$1" 2>&1 | tail -n 20 >&2
    fail "container $1 never printed '$2'"
}

total_start=$(seconds)
[ -f "$tutorial_img" ] || fail "the tutorial's test_img.png is missing: $tutorial_img"
if ! docker info >/dev/null 2>&1; then fail "no Docker engine answers (see docs/docker.md)"; fi

base=${1:-}
if [ -z "$base" ]; then
    step "stand-in base image from $py36"
    t=$(seconds)
    base=tf1-mnist-base:3.6
    bash docker/make-base.sh "$("$py36" -c 'import sys; print(sys.base_prefix)')" "$base"
    echo "base made in $(elapsed "$t" "$(seconds)") s"
fi

step "build $image on $base, MNIST from a mirror on 127.0.0.1"
port=$(free_port)
(cd "$mnist" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
mirror_pid=$!
t=$(seconds)
docker build --network host -f docker/Dockerfile --build-arg "BASE=$base" \
    --build-arg "MNIST_MIRROR=http://127.0.0.1:$port/" -t "$image" . >"$work/build.log" 2>&1 ||
    { tail -n 30 "$work/build.log" >&2; fail "docker build"; }
build_seconds=$(elapsed "$t" "$(seconds)")
kill "$mirror_pid"; mirror_pid=
grep -q "MNIST verified in /data/MNIST_data/" "$work/build.log" || fail "MNIST not baked in"
size=$(docker image inspect -f '{{.Size}}' "$image")
echo "built in $build_seconds s; $((size / 1000000)) MB"
[ "$size" -lt 1000000000 ] || fail "the image is over 1 GB"
docker run --rm --network none --entrypoint sh "$image" -c \
    'test ! -e /app/build && ! ls -d /app/*.egg-info /tmp/src 2>/dev/null' || fail "build leftovers in the image"

# A user's directory: owned by someone who is neither root nor the image's uid 1000.
user_dir=$work/user
mkdir -p "$user_dir/model"
chown 4321:4321 "$user_dir" "$user_dir/model"
cd "$user_dir"

step "docker run --rm -v \"\$PWD/model:/model\" $image train --seed 0"
docker run --rm --network none -v "$PWD/model:/model" "$image" train --seed 0 | tee "$work/train.log"
accuracy=$(sed -n 's/^Accuracy on test set: //p' "$work/train.log")
python3 -c "import sys; a = float(sys.argv[1]); sys.exit(not 0.89 <= a <= 0.95)" "$accuracy" ||
    fail "test accuracy $accuracy outside the README's range"
owners=$(stat -c %u:%g model/* | sort -u)
[ "$owners" = "4321:4321" ] || fail "model files owned by $owners, not by the directory's owner"

step "predict the image's test_img.png (7), the tutorial's own mounted (2)"
out=$(docker run --rm --network none -v "$PWD/model:/model" "$image" predict test_img.png)
echo "$out"
case "$out" in "Prediction for test image: 7 "*) ;; *) fail "predict test_img.png";; esac
cp "$tutorial_img" ./test_img.png
out=$(docker run --rm --network none -v "$PWD/model:/model" -v "$PWD:/data/in" "$image" \
    predict /data/in/test_img.png)
echo "$out"
case "$out" in "Prediction for test image: 2 "*) ;; *) fail "the tutorial's test_img.png";; esac

step "evaluate --confusion-png"
docker run --rm --network none -v "$PWD/model:/model" -v "$PWD:/data/in" "$image" \
    evaluate --confusion-png /data/in/confusion.png | tail -n 3
[ -s confusion.png ] && [ "$(stat -c %u confusion.png)" = 4321 ] || fail "confusion.png"

step "a model directory Docker creates, --user, and one nobody may write"
docker run --rm --network none -v "$PWD/new-model:/model" "$image" train --n-iterations 20 \
    --seed 1 >/dev/null || fail "train into a directory Docker created"
[ -f new-model/model.json ] || fail "no model in the directory Docker created"
mkdir -p mine && chown 2000:2000 mine
docker run --rm --network none --user 2000:2000 -v "$PWD/mine:/model" "$image" train \
    --n-iterations 20 --seed 1 >/dev/null || fail "train with --user"
[ "$(stat -c %u mine/model.json)" = 2000 ] || fail "--user: wrong owner"
mkdir -p locked && chown 2000:2000 locked && chmod 0555 locked
set +e
err=$(docker run --rm --network none --user 3000:3000 -v "$PWD/locked:/model" "$image" train \
    --n-iterations 20 2>&1 >/dev/null)
code=$?
set -e
echo "$err"
[ "$code" = 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] &&
    printf '%s' "$err" | grep -q "belongs to uid 2000 and this runs as uid 3000" ||
    fail "an unwritable model directory: exit $code, '$err'"

step "docker stop of a training: one line, exit 143, the previous model intact"
before=$(sha256sum model/model.json)
detached id --network none -v "$PWD/model:/model" "$image" train \
    --n-iterations 200000
wait_for_log "$id" "Iteration 100 " 120
t=$(seconds)
docker stop "$id" >/dev/null
stop_train=$(elapsed "$t" "$(seconds)")
code=$(docker wait "$id")
docker logs "$id" 2>&1 | tail -n 1
echo "stopped in $stop_train s, exit $code"
[ "$code" = 143 ] || fail "a stopped training exited $code"
docker logs "$id" 2>&1 | tail -n 1 | grep -q "^error: stopped by SIGTERM;" || fail "no one-line stop message"
[ "$(sha256sum model/model.json)" = "$before" ] || fail "the previous model changed"
python3 -c "import sys; sys.exit(float(sys.argv[1]) > 3)" "$stop_train" || fail "docker stop took $stop_train s"

step "serve: the page and the API, then docker stop"
port=$(free_port)
detached id --network host -v "$PWD/model:/model" "$image" serve \
    --host 127.0.0.1 --port "$port"
wait_for_log "$id" "Serving " 60
curl -fsS "http://127.0.0.1:$port/" | grep -q 'id="canvas"' || fail "the page"
curl -fsS "http://127.0.0.1:$port/v1/models/mnist" | grep -q AVAILABLE || fail "status"
python3 - "$port" <<'EOF' || fail "the REST API"
import json, sys, urllib.request
url = "http://127.0.0.1:%s/v1/models/mnist:predict" % sys.argv[1]
body = json.dumps({"instances": [[0.0] * 784]}).encode()
answer = json.load(urllib.request.urlopen(urllib.request.Request(url, body)))
assert len(answer["predictions"][0]["probabilities"]) == 10, answer
print("API answered:", answer["predictions"][0]["classes"])
EOF
curl -fsS --data-binary @test_img.png "http://127.0.0.1:$port/v1/images:predict" |
    grep -q '"prediction": 2' || fail "the image endpoint"
t=$(seconds)
docker stop "$id" >/dev/null
stop_serve=$(elapsed "$t" "$(seconds)")
code=$(docker wait "$id")
echo "stopped in $stop_serve s, exit $code"
[ "$code" = 0 ] || fail "a stopped serve exited $code"
python3 -c "import sys; sys.exit(float(sys.argv[1]) > 3)" "$stop_serve" || fail "docker stop took $stop_serve s"

step "parameter-server cluster: one ps and two workers, three containers on loopback"
ps_port=$(free_port); w0=$(free_port); w1=$(free_port)
cluster="\"cluster\": {\"ps\": [\"127.0.0.1:$ps_port\"], \"worker\": [\"127.0.0.1:$w0\", \"127.0.0.1:$w1\"]}"
mkdir -p cluster-model && chown 4321:4321 cluster-model
t=$(seconds)
detached ps --network host -e "TF_CONFIG={$cluster, \"task\": {\"type\": \"ps\", \"index\": 0}}" \
    "$image" train --timeout 120
detached worker1 --network host -e "TF_CONFIG={$cluster, \"task\": {\"type\": \"worker\", \"index\": 1}}" \
    "$image" train --seed 0 --timeout 120
detached chief --network host -v "$PWD/cluster-model:/model" \
    -e "TF_CONFIG={$cluster, \"task\": {\"type\": \"worker\", \"index\": 0}}" \
    "$image" train --seed 0 --timeout 120
for id in "$chief" "$worker1" "$ps"; do
    code=$(docker wait "$id")
    [ "$code" = 0 ] || { docker logs "$id" 2>&1 | tail -n 20 >&2; fail "cluster task $id exited $code"; }
done
cluster_seconds=$(elapsed "$t" "$(seconds)")
docker logs "$chief" 2>&1 | tail -n 4
accuracy=$(python3 -c "import json; print(json.load(open('cluster-model/model.json'))['metrics']['test_accuracy'])")
python3 -c "import sys; sys.exit(float(sys.argv[1]) < 0.90)" "$accuracy" || fail "cluster accuracy $accuracy"
out=$(docker run --rm --network none -v "$PWD/cluster-model:/model" "$image" predict test_img.png)
echo "$out ($cluster_seconds s for the cluster)"
case "$out" in "Prediction for test image: 7 "*) ;; *) fail "predict with the cluster's model";; esac

echo
echo "docker: image $((size / 1000000)) MB, built in $build_seconds s; docker stop: train" \
    "$stop_train s, serve $stop_serve s; cluster $cluster_seconds s (test accuracy $accuracy);" \
    "all in $(elapsed "$total_start" "$(seconds)") s"
