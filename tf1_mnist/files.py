"""Durable writes: every file the package writes appears whole or not at all.

A file is written to a temporary name in its target directory, flushed and
fsync'ed, given mode 0644 minus the umask (``mkstemp`` would leave 0600, which
another user, or a container run with ``--user``, could not read), renamed over the
target with ``os.replace``, and the directory is fsync'ed so the rename itself
survives a crash. A directory of files (a report) is written into a temporary
sibling directory and moved into place as a whole.
"""
import errno
import os
import shutil
import tempfile

from tf1_mnist.errors import UserError

PART = ".part"  # temporaries end so: ".<name>.<random>.part"


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode():
    """0644 minus the umask: what ``open(path, "w")`` would have given."""
    return 0o644 & ~_umask()


def fsync_dir(directory):
    """Make a rename or removal in ``directory`` durable (a no-op where unsupported)."""
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_file(path, content, what="file", fix="choose another path"):
    """Write ``content`` (bytes, str, or a callable given the open binary file) to
    ``path`` durably. A failure raises UserError naming ``what`` and ``fix`` and leaves
    any previous file at ``path`` untouched and no temporary behind."""
    directory = os.path.dirname(path) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=PART,
                                   dir=directory)
    except OSError as exc:
        raise UserError("{}: cannot write the {} ({}); {}".format(
            path, what, exc.strerror or exc, fix))
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(content):
                content(f)
            else:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise UserError("{}: cannot write the {} ({}); {}".format(
            path, what, exc.strerror or exc, fix))
    except BaseException:
        remove_quietly(tmp)
        raise
    fsync_dir(directory)


def write_directory(path, fill, what="directory", fix="choose another path"):
    """Create directory ``path`` as a whole: ``fill(tmp_dir)`` writes its files into a
    temporary sibling, which then replaces ``path`` (an older ``path`` is removed only
    after the new one is complete)."""
    parent = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(parent, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix="." + os.path.basename(path) + ".", suffix=PART,
                               dir=parent)
        os.chmod(tmp, 0o777 & ~_umask())
    except OSError as exc:
        raise UserError("{}: cannot create the {} ({}); {}".format(
            path, what, exc.strerror or exc, fix))
    old = None
    try:
        fill(tmp)
        if os.path.isdir(path):
            old = tempfile.mkdtemp(prefix="." + os.path.basename(path) + ".old.", dir=parent)
            os.rmdir(old)
            os.rename(path, old)
        os.rename(tmp, path)
    except OSError as exc:
        if old and not os.path.exists(path):
            os.rename(old, path)
            old = None
        raise UserError("{}: cannot write the {} ({}); {}".format(
            path, what, exc.strerror or exc, fix))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    fsync_dir(parent)


def check_writable_dir(path, what, flag):
    """Fail early when directory ``path`` could not be created or written later: it
    exists as a file, or the nearest existing ancestor refuses a probe file. Creates
    nothing that outlives the check."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError("{}: exists and is not a directory; choose another {}".format(
            path, flag))
    existing = os.path.abspath(path)
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise UserError("{}: {} is not a directory; choose another {}".format(
            path, existing, flag))
    try:
        tempfile.NamedTemporaryFile(dir=existing, prefix=".probe-").close()
    except OSError as exc:
        raise UserError("{}: cannot write the {} there ({}{}); choose another {}".format(
            path, what, exc.strerror or exc, _whose(existing, exc), flag))


def _whose(directory, exc):
    """For a permission error: whose the directory is and what would let this process
    write it (a mounted Docker volume is the usual case)."""
    if exc.errno not in (errno.EACCES, errno.EPERM) or not hasattr(os, "geteuid"):
        return ""
    try:
        owner = os.stat(directory)
    except OSError:
        return ""
    uid = os.geteuid()
    if owner.st_uid == uid:
        return ": {} is yours but read-only; chmod u+w it".format(directory)
    return (": {} belongs to uid {} and this runs as uid {}; make it writable for uid {}, "
            "or run as its owner (docker run --user {}:{})".format(
                directory, owner.st_uid, uid, uid, owner.st_uid, owner.st_gid))


def remove_quietly(path):
    """Remove ``path`` if it is there; never raise."""
    try:
        os.remove(path)
    except OSError:
        pass
