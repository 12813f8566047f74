"""``tf1-mnist serve``: a page to draw digits on, and TensorFlow Serving's REST API.

One model is restored once; its session answers every request (``Session.run`` is
thread-safe), behind Flask on the waitress server. Routes:

* ``GET /``: the drawing page (``tf1_mnist/web/``, served by the package: no CDN);
* ``GET /v1/models/mnist`` and ``/v1/models/mnist/metadata``: model status and the
  ``serving_default`` signature, as TF Serving answers them;
* ``POST /v1/models/mnist:predict``: ``{"instances": [...]}`` (784 floats in [0, 1], or
  28x28 nested lists, per instance) -> ``{"predictions": [{"classes": 7,
  "probabilities": [...]}, ...]}``; the columnar ``{"inputs": ...}`` -> ``{"outputs": ...}``;
* ``POST /v1/images:predict``: an image file as the body, preprocessed as ``predict``
  does -> the prediction, probabilities, the 28x28 network input, and what the
  tutorial's raw feed would have predicted.

Every bad request gets a 4xx and TF Serving's ``{"error": "..."}``; each request is one
access line (unless quiet). Held up against slow and idle clients by waitress's settings
in ``SERVER_SETTINGS`` plus a deadline for each request's headers and body
(``REQUEST_SECONDS``); stopped by Ctrl-C or SIGTERM, it closes its socket, finishes the
requests under way for up to ``DRAIN_SECONDS`` and returns.
"""
import json
import sys
import time

import numpy as np

from tf1_mnist import images
from tf1_mnist.errors import UserError, first_line
from tf1_mnist.lifecycle import interrupted, signals_noted
from tf1_mnist.static_page import WEB

MODEL_NAME = "mnist"
VERSION = "1"
MAX_BODY = 10 * 1024 * 1024
MAX_INSTANCES = 10000

# Chosen on bench/serve_bench.py's hostile rows (docs/serve.md): waitress reads every
# request whole in its event loop before a worker thread sees it, so slow clients cost a
# socket, not a thread; enough sockets, poll() (select() stops at 1024 descriptors), and
# idle connections closed after a few seconds keep a few hundred of them from crowding
# out everyone else.
SERVER_SETTINGS = {
    "threads": 8,
    "connection_limit": 1000,  # at most the descriptor limit less a margin (below)
    "channel_timeout": 10,  # seconds a connection may sit idle (no bytes) before closing
    "cleanup_interval": 1,  # how often those are looked for
    "asyncore_use_poll": True,
    # Bodies are read whole (to a temporary file past 512 KB) before the application sees
    # them: up to twice the limit the application answers with its JSON 413; beyond, waitress
    # answers 413 itself and closes the connection.
    "max_request_body_size": 2 * MAX_BODY,
}
REQUEST_SECONDS = 30  # one request's headers and body must arrive within this
DRAIN_SECONDS = 2  # at shutdown, how long requests under way may take to finish


class BadRequest(Exception):
    """A request the client can fix: 400 with TF Serving's error body."""


def signature_metadata(g):
    """The ``serving_default`` signature (``restore.signature``), in TF Serving's
    metadata JSON form."""
    from tensorflow.core.framework import types_pb2

    from tf1_mnist.restore import signature

    def tensor(t):
        return {"dtype": types_pb2.DataType.Name(t.dtype.as_datatype_enum), "name": t.name,
                "tensor_shape": {"dim": [{"size": str(-1 if d is None else d), "name": ""}
                                         for d in t.shape.as_list()],
                                 "unknown_rank": False}}
    return dict({kind: {name: tensor(t) for name, t in sorted(tensors.items())}
                 for kind, tensors in signature(g).items()},
                method_name="tensorflow/serving/predict")


def parse_instances(body):
    """The images [N, 784] of a predict request; BadRequest for anything else.

    Returns (images, columnar): ``columnar`` for the ``inputs`` form.
    """
    try:
        request = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest("malformed JSON: {}".format(first_line(exc)[:200]))
    except RecursionError:
        raise BadRequest("the JSON is nested too deeply; an instance is 784 numbers, or 28 "
                         "rows of 28")
    if not isinstance(request, dict) or not ({"instances", "inputs"} & set(request)):
        raise BadRequest("the request must be a JSON object with \"instances\" (or "
                         "\"inputs\")")
    columnar = "instances" not in request
    rows = request["inputs"] if columnar else request["instances"]
    if isinstance(rows, dict):  # named inputs: {"images": [...]}
        if set(rows) != {"images"}:
            raise BadRequest("unknown input(s) {}; the signature's input is \"images\""
                             .format(", ".join(sorted(set(rows) - {"images"})) or "none"))
        rows = rows["images"]
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        if any(not isinstance(r, dict) or set(r) != {"images"} for r in rows):
            raise BadRequest("each instance object must hold exactly \"images\"")
        rows = [r["images"] for r in rows]
    if not isinstance(rows, list) or not rows:
        raise BadRequest("\"instances\" must be a non-empty list of images")
    if len(rows) > MAX_INSTANCES:
        raise BadRequest("{} instances in one request; send at most {}".format(
            len(rows), MAX_INSTANCES))
    try:
        # No dtype: strings, booleans, objects or ragged rows must not be coerced to
        # numbers (np.array(["1"], float) would be); they are refused below.
        array = np.array(rows)
    except (ValueError, TypeError, RecursionError):
        array = None
    if array is None or array.dtype.kind not in "iuf":
        raise BadRequest("each instance must be 784 numbers, or 28 rows of 28 numbers")
    array = array.astype(np.float64)
    if array.ndim == 3 and array.shape[1:] == (28, 28):
        array = array.reshape(len(array), 784)
    if array.ndim != 2 or array.shape[1] != 784:
        raise BadRequest("instances have shape {}; each must be 784 numbers in [0, 1], or "
                         "28x28".format(list(array.shape[1:]) if array.ndim > 1 else
                                        "a single number"))
    if not np.all(np.isfinite(array)):
        raise BadRequest("instances contain NaN or infinite values; send numbers in [0, 1]")
    if array.min() < 0 or array.max() > 1:
        raise BadRequest("pixel values must be in [0, 1] (MNIST scaling), got {:g} to {:g}"
                         .format(array.min(), array.max()))
    return array.astype(np.float32), columnar


def _refuse_constant(name):
    raise ValueError("{} is not a number JSON allows".format(name))


def predict_image(predictor, body):
    """The answer of ``/v1/images:predict`` for image file bytes."""
    if not body:
        raise BadRequest("empty body; send an image file (PNG, JPEG, BMP) as the body")
    name = "the uploaded image"
    try:
        image = images.decode(body, name)
        x = images.load_input(image, name=name)
    except UserError as exc:
        raise BadRequest(str(exc))
    try:
        raw = images.raw_tutorial_input(image, name=name, shrink=True)
        raw_error = None
    except UserError as exc:
        raw, raw_error = None, str(exc)
    inputs = [x] if raw is None else [x, raw]
    probabilities = predictor.probabilities(inputs)
    answer = {"prediction": int(np.argmax(probabilities[0])),
              "probabilities": [float(p) for p in probabilities[0]],
              "network_input": np.round(x.reshape(28, 28), 4).tolist(),
              "raw_prediction": None if raw is None else int(np.argmax(probabilities[1])),
              "raw_probability": None if raw is None else float(np.max(probabilities[1]))}
    if raw_error:
        answer["raw_error"] = raw_error
    return answer


def access_log(app, log):
    """WSGI middleware: one line per request to ``log`` (client, method, path, status,
    milliseconds), written when the response is done."""
    def logged(environ, start_response):
        started = time.time()
        status = []

        def record(code, headers, exc_info=None):
            status.append(code.split(" ", 1)[0])
            return start_response(code, headers, exc_info)

        body = app(environ, record)
        try:
            for chunk in body:
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()
            path = environ.get("PATH_INFO", "")
            if environ.get("QUERY_STRING"):
                path += "?" + environ["QUERY_STRING"]
            log('{} "{} {}" {} {:.1f} ms'.format(
                environ.get("REMOTE_ADDR", "-"), environ.get("REQUEST_METHOD", "-"),
                path.encode("unicode_escape").decode("ascii")[:200],
                status[0] if status else "-", 1000 * (time.time() - started)))
    return logged


def _answer(obj, status=200):
    from flask import Response

    return Response(json.dumps(obj, allow_nan=False), status=status,
                    mimetype="application/json")


def _answer_errors(app, max_body):
    """Every error as TF Serving's ``{"error": ...}``: 4xx for the client's, 500 (and one
    line in the log, no traceback) for ours."""
    from flask import request
    from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

    @app.before_request
    def limit_body():
        # Werkzeug 2.0 (the Python 3.6 stack) reads past MAX_CONTENT_LENGTH quietly.
        if request.content_length is not None and request.content_length > max_body:
            raise RequestEntityTooLarge()

    @app.errorhandler(HTTPException)
    def http_error(exc):
        text = {404: "no such path: {}".format(request.path),
                405: "{} is not allowed on {}".format(request.method, request.path),
                413: "the body is over the {} MB limit".format(max_body // (1024 * 1024))}
        return _answer({"error": text.get(exc.code, exc.description)}, exc.code)

    @app.errorhandler(BadRequest)
    def bad_request(exc):
        return _answer({"error": str(exc)}, 400)

    @app.errorhandler(Exception)
    def internal_error(exc):
        print("error: {} {}: {}: {}".format(request.method, request.path,
                                            type(exc).__name__, first_line(exc)[:200]),
              file=sys.stderr, flush=True)
        return _answer({"error": "internal error ({})".format(type(exc).__name__)}, 500)


def _tf_serving_api(app, predictor):
    """TF Serving's REST API for the model: status, metadata, predict."""
    from flask import request

    @app.route("/v1/models/{}".format(MODEL_NAME))
    def status():
        return _answer({"model_version_status": [{
            "version": VERSION, "state": "AVAILABLE",
            "status": {"error_code": "OK", "error_message": ""}}]})

    @app.route("/v1/models/{}/metadata".format(MODEL_NAME))
    def metadata():
        return _answer({"model_spec": {"name": MODEL_NAME, "signature_name": "",
                                       "version": VERSION},
                        "metadata": {"signature_def": {"signature_def": {
                            "serving_default": signature_metadata(predictor.g)}}}})

    @app.route("/v1/models/{}:predict".format(MODEL_NAME), methods=["POST"])
    def predict():
        array, columnar = parse_instances(request.get_data(cache=False))
        probabilities = predictor.probabilities(list(array))
        classes = [int(c) for c in np.argmax(probabilities, axis=1)]
        if columnar:
            return _answer({"outputs": {"classes": classes,
                                        "probabilities": probabilities.tolist()}})
        return _answer({"predictions": [{"classes": c, "probabilities": p.tolist()}
                                        for c, p in zip(classes, probabilities)]})


def create_app(predictor, max_body=MAX_BODY):
    """The Flask application answering with ``predictor`` (a ``restore.Predictor``): the
    drawing page, TF Serving's REST API and the image endpoint."""
    from flask import Flask, request, send_from_directory

    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = max_body
    _answer_errors(app, max_body)
    _tf_serving_api(app, predictor)

    @app.route("/")
    def page():
        return send_from_directory(WEB, "index.html")

    @app.route("/static/<path:name>")
    def static_file(name):
        return send_from_directory(WEB, name)

    @app.route("/v1/images:predict", methods=["POST"])
    def predict_image_route():
        return _answer(predict_image(predictor, request.get_data(cache=False)))

    return app


def server_settings():
    """``SERVER_SETTINGS``, with the connection limit kept below this process's limit on
    open descriptors (a container's may be 1024)."""
    settings = dict(SERVER_SETTINGS)
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if soft != resource.RLIM_INFINITY:
            settings["connection_limit"] = max(10, min(settings["connection_limit"],
                                                       soft - 64))
    except (ImportError, ValueError, OSError):
        pass
    return settings


def serve(model, host="127.0.0.1", port=8501, ready=print, log=None):
    """Restore ``model`` (``checkpoint.open_model``'s) once, then serve until Ctrl-C or
    SIGTERM. ``log``: where each request's access line goes (None: nowhere)."""
    import logging

    import waitress

    from tf1_mnist.restore import Predictor

    # "Task queue depth is N" under a burst of clients: expected, and not the user's news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    with Predictor(model) as predictor:
        predictor.probabilities([np.zeros(784, np.float32)])  # warm up before the first user
        app = create_app(predictor)
        try:
            server = waitress.create_server(access_log(app, log) if log else app, host=host,
                                            port=port, **server_settings())
        except OSError as exc:
            raise UserError("cannot listen on {}:{} ({}); choose another --port or --host"
                            .format(host, port, exc.strerror or exc))
        shown_host = "[{}]".format(host) if ":" in host else host
        ready("Serving {} (model {}) at http://{}:{}/ ; TF Serving's REST API at "
              "http://{}:{}/v1/models/{} ; Ctrl-C stops".format(
                  model.dir, model.description["model"], shown_host, server.effective_port,
                  shown_host, server.effective_port, MODEL_NAME))
        try:
            with signals_noted():
                _run_until_interrupted(server)
                _drain(server, DRAIN_SECONDS)
        finally:
            server.close()


def _run_until_interrupted(server):
    """waitress's event loop in slices, until a signal is noted; every slice also ends
    requests whose headers and body have taken longer than ``REQUEST_SECONDS``."""
    from waitress import wasyncore

    started = {}  # id of a channel's request still being read -> when it was first seen
    while not interrupted():
        wasyncore.loop(timeout=0.1, map=server._map, use_poll=True, count=1)
        now, seen = time.time(), {}
        for channel in list(server.active_channels.values()):
            partial = getattr(channel, "request", None)
            if partial is None or channel.requests:
                continue
            key = (id(channel), id(partial))
            seen[key] = started.get(key, now)
            if now - seen[key] > REQUEST_SECONDS:
                channel.will_close = True  # a slow-loris client: close it
        started = seen


def _drain(server, seconds):
    """Stop accepting, then let the requests under way finish for up to ``seconds``."""
    from waitress import wasyncore

    wasyncore.dispatcher.close(server)  # the listening socket: new clients are refused
    deadline = time.time() + seconds
    while time.time() < deadline:
        busy = server.task_dispatcher.queue or any(
            channel.request is not None or channel.requests or channel.total_outbufs_len
            for channel in list(server.active_channels.values()))
        if not busy:
            return
        wasyncore.loop(timeout=0.05, map=server._map, use_poll=True, count=1)
