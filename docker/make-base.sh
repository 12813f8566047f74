#!/usr/bin/env bash
# A stand-in for python:X.Y-slim-* when no image registry can be reached (as in CI):
#   bash docker/make-base.sh PYTHON_PREFIX TAG
#   bash docker/make-base.sh /root/.pyenv/versions/3.6.15 tf1-mnist-base:3.6
# Debian bookworm minbase (mmdebstrap, from the Debian mirror apt uses) with the Python
# installed at PYTHON_PREFIX copied under /usr/local, the shared libraries its modules
# link, and this machine's extra CA certificates (pip reaches PyPI through them here).
# Users never need this: the Dockerfiles default to the official python image.
set -euo pipefail

prefix=${1:?usage: make-base.sh PYTHON_PREFIX TAG}
tag=${2:?usage: make-base.sh PYTHON_PREFIX TAG}
version=$("$prefix/bin/python3" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
mirror=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
    head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}

for tool in mmdebstrap docker; do
    command -v "$tool" >/dev/null || { echo "make-base.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Python without its test suite, caches or the .pth files this machine added to it;
# every path that names the old prefix (scripts' #! lines, sysconfig) names /usr/local.
mkdir -p "$work/local"
tar -C "$prefix" --exclude="lib/python$version/test" --exclude='__pycache__' \
    --exclude='*.pyc' --exclude='lib/python*/site-packages/*.pth' -cf - . |
    tar -C "$work/local" -xf -
grep -rlI --null -F "$prefix" "$work/local/bin" "$work/local/lib/python$version" |
    xargs -0 -r sed -i "s|$prefix|/usr/local|g"
cat > "$work/pip.conf" <<'EOF'
[global]
cert = /etc/ssl/certs/ca-certificates.crt
EOF

mmdebstrap --quiet --variant=minbase --format=tar \
    --include=ca-certificates,libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,libreadline8,libncursesw6,zlib1g,libexpat1,libuuid1,libnsl2,libtirpc3,libcrypt1 \
    --customize-hook="copy-in $work/local/. /usr/local" \
    --customize-hook="mkdir -p \"\$1/usr/local/share/ca-certificates\"" \
    --customize-hook="sync-in /usr/local/share/ca-certificates /usr/local/share/ca-certificates" \
    --customize-hook="copy-in $work/pip.conf /etc" \
    --customize-hook='chroot "$1" update-ca-certificates >/dev/null' \
    --customize-hook='chroot "$1" ldconfig' \
    --customize-hook="ln -sf python3 \"\$1/usr/local/bin/python\"" \
    --customize-hook="ln -sf pip3 \"\$1/usr/local/bin/pip\"" \
    bookworm "$work/rootfs.tar" "$mirror"

docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    "$work/rootfs.tar" "$tag" >/dev/null
docker run --rm --network none "$tag" python -c \
    'import ssl, sqlite3, ctypes, bz2, lzma, zlib, uuid; import sys; print("base", sys.version.split()[0])'
