#!/bin/sh
# The images' entry point: `docker run tf1-mnist COMMAND ...` runs `tf1-mnist COMMAND ...`.
# Started as root (the default), it drops to the owner of the model directory, so the
# files in a mounted ./model belong to whoever owns ./model on the host; the image's own
# /model belongs to the unprivileged user mnist. A directory Docker just created for the
# mount is root's, and the run stays root's. Started as another user (docker run --user
# UID:GID), it runs as that user. exec keeps tf1-mnist as PID 1, where SIGTERM reaches it.
set -eu
if [ "$(id -u)" = 0 ]; then
    owner=$(stat -c %u:%g "${TF1_MNIST_MODEL_DIR:-/model}" 2>/dev/null || echo 0:0)
    if [ "${owner%%:*}" != 0 ]; then
        exec setpriv --reuid="${owner%%:*}" --regid="${owner#*:}" --clear-groups -- tf1-mnist "$@"
    fi
fi
exec tf1-mnist "$@"
