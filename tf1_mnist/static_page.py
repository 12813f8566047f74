"""``tf1-mnist export --format web``: the drawing page as a static folder that runs the
network in the browser, with no server code.

The folder holds ``index.html`` (``serve``'s page, same element ids), ``model.onnx`` (the
network, ``export.onnx_model``), and in ``static/`` the page's style and scripts, with
``browser.js`` doing ``images.preprocess``'s MNIST-style preprocessing in JavaScript and
ONNX Runtime Web (WebAssembly) running the model. Any static file server (``python -m
http.server``, GitHub Pages) serves it; nothing is fetched from a CDN.

ONNX Runtime Web comes from its npm package, ``onnxruntime-web`` ``ORT_WEB_VERSION``: the
tarball (or its unpacked folder) named by ``--runtime`` or ``$TF1_MNIST_ORT_WEB``, else
downloaded once from the npm registry into ``~/.cache/tf1-mnist/``. Each file taken from
it is checked against its SHA-256 below.
"""
import io
import os
import tarfile

from tf1_mnist import files
from tf1_mnist.errors import UserError

ORT_WEB_VERSION = "1.30.0"
RUNTIME_ENV = "TF1_MNIST_ORT_WEB"
TARBALL = "onnxruntime-web-{}.tgz".format(ORT_WEB_VERSION)
TARBALL_URL = "https://registry.npmjs.org/onnxruntime-web/-/" + TARBALL
# The files of the package's dist/ that a WebAssembly-only page loads, and their SHA-256.
RUNTIME_FILES = {
    "ort.wasm.min.js": "faece07e84faa9001f5104bbe4e5c70861d06cb2376a0dea1fa0ad33a67adc81",
    "ort-wasm-simd-threaded.mjs":
        "e13f7f94fc51b4ca72b12faeb1ee95f4ace6dfbc8939bc718aabdc0a27c4299b",
    "ort-wasm-simd-threaded.wasm":
        "3398c10d07d229bd91b364548e130e0e51a8e5704b88c7c083ebbeb78842dee2",
}
PAGE_FILES = ("style.css", "app.js", "browser.js")
WEB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "web")  # the page's files
NOTICE = "NOTICE-onnxruntime-web.txt"  # in web/, shipped beside the runtime's files


def _fix():
    return ("get {} (`npm pack onnxruntime-web@{}`, or from {}) and pass it with --runtime "
            "or ${}".format(TARBALL, ORT_WEB_VERSION, TARBALL_URL, RUNTIME_ENV))


def _verified(name, content, source):
    from tf1_mnist.data import sha256_hex

    if sha256_hex(content) != RUNTIME_FILES[name]:
        raise UserError("{}: its {} is not ONNX Runtime Web {}'s (SHA-256 differs); {}".format(
            source, name, ORT_WEB_VERSION, _fix()))
    return content


def _from_tarball(path):
    try:
        with tarfile.open(path, "r:gz") as tar:
            found = {}
            for name in RUNTIME_FILES:
                try:
                    member = tar.extractfile("package/dist/" + name)
                except KeyError:
                    member = None
                if member is None:
                    raise UserError("{}: has no package/dist/{}; is it {}? {}".format(
                        path, name, TARBALL, _fix()))
                found[name] = _verified(name, member.read(), path)
            return found
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise UserError("{}: cannot read it as the npm package's tarball ({}); {}".format(
            path, getattr(exc, "strerror", None) or exc, _fix()))


def _from_folder(path):
    found = {}
    for name in RUNTIME_FILES:
        candidates = [os.path.join(path, sub, name) for sub in ("package/dist", "dist", "")]
        existing = [c for c in candidates if os.path.isfile(c)]
        if not existing:
            raise UserError("{}: has no {} (looked in package/dist/, dist/ and the folder "
                            "itself); {}".format(path, name, _fix()))
        with open(existing[0], "rb") as f:
            found[name] = _verified(name, f.read(), path)
    return found


def cache_dir(environ=None):
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tf1-mnist")


def runtime(source=None, download=True, out=None):
    """ONNX Runtime Web's files, ``{name: bytes}``, each verified: from ``source`` (the npm
    tarball or an unpacked copy), ``$TF1_MNIST_ORT_WEB``, the cache, or the npm registry."""
    source = source or os.environ.get(RUNTIME_ENV)
    if source:
        if not os.path.exists(source):
            raise UserError("{}: no such file or folder; {}".format(source, _fix()))
        return _from_folder(source) if os.path.isdir(source) else _from_tarball(source)
    cached = os.path.join(cache_dir(), TARBALL)
    if not os.path.isfile(cached):
        if not download:
            raise UserError("ONNX Runtime Web is not in {}; {}".format(cache_dir(), _fix()))
        _download(cached, out)
    return _from_tarball(cached)


def _download(path, out):
    from tf1_mnist.data import fetch

    buffer = io.BytesIO()
    try:
        fetch(TARBALL_URL, buffer, TARBALL, out)
    except (OSError, ValueError) as exc:
        raise UserError("could not download {} ({}); {}".format(
            TARBALL_URL, getattr(exc, "reason", None) or exc, _fix()))
    content = buffer.getvalue()
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as tar:  # checked first
        for name in RUNTIME_FILES:
            _verified(name, tar.extractfile("package/dist/" + name).read(), TARBALL_URL)
    fix = "set $XDG_CACHE_HOME to a writable folder, or pass --runtime"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError as exc:
        raise UserError("{}: cannot create it ({}); {}".format(
            os.path.dirname(path), exc.strerror or exc, fix))
    files.write_file(path, content, what="ONNX Runtime Web package", fix=fix)


def page():
    """``serve``'s page, for a folder: the network runs in the browser (browser.js, after
    ONNX Runtime Web), not behind an API."""
    with open(os.path.join(WEB, "index.html"), encoding="utf-8") as f:
        html = f.read()
    scripts = ('<script src="static/ort.wasm.min.js"></script>\n'
               '  <script src="static/browser.js"></script>\n'
               '  <script src="static/app.js"></script>')
    footer = ("tf1-mnist; the same preprocessing as <code>python -m tf1_mnist.predict</code>, "
              "done in your browser; the network runs here with ONNX Runtime Web, no server")
    start, end = html.index("<footer>") + len("<footer>"), html.index("</footer>")
    html = html[:start] + footer + html[end:]
    return html.replace('<script src="static/app.js"></script>', scripts)


def write_folder(out_dir, model_content, runtime_files):
    """Write the page's folder ``out_dir`` as a whole (an older one is replaced only once
    the new one is complete)."""
    def fill(tmp):
        static = os.path.join(tmp, "static")
        os.mkdir(static)
        with open(os.path.join(tmp, "index.html"), "w", encoding="utf-8") as f:
            f.write(page())
        with open(os.path.join(tmp, "model.onnx"), "wb") as f:
            f.write(model_content)
        for name in PAGE_FILES + (NOTICE,):
            with open(os.path.join(WEB, name), "rb") as source, \
                    open(os.path.join(static, name), "wb") as f:
                f.write(source.read())
        for name, content in runtime_files.items():
            with open(os.path.join(static, name), "wb") as f:
                f.write(content)
        for folder, _, names in os.walk(tmp):  # as the package's other files: 0644 - umask
            for name in names:
                os.chmod(os.path.join(folder, name), files.file_mode())

    files.write_directory(out_dir, fill, what="web page", fix="choose another --out")
