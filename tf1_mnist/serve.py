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

Every bad request gets a 4xx and TF Serving's ``{"error": "..."}``.
"""
import json
import os

import numpy as np

from tf1_mnist import images
from tf1_mnist.errors import UserError

MODEL_NAME = "mnist"
VERSION = "1"
MAX_BODY = 10 * 1024 * 1024
MAX_INSTANCES = 10000
WEB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "web")


class BadRequest(Exception):
    """A request the client can fix: 400 with TF Serving's error body."""


def signature():
    """The ``serving_default`` signature, in TF Serving's metadata JSON form."""
    def tensor(name, dtype, dims):
        return {"dtype": dtype, "name": name,
                "tensor_shape": {"dim": [{"size": str(d), "name": ""} for d in dims],
                                 "unknown_rank": False}}
    return {"inputs": {"images": tensor("X:0", "DT_FLOAT", [-1, 784])},
            "outputs": {"classes": tensor("prediction:0", "DT_INT64", [-1]),
                        "probabilities": tensor("probabilities:0", "DT_FLOAT", [-1, 10])},
            "method_name": "tensorflow/serving/predict"}


def parse_instances(body):
    """The images [N, 784] of a predict request; BadRequest for anything else.

    Returns (images, columnar): ``columnar`` for the ``inputs`` form.
    """
    try:
        request = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest("malformed JSON: {}".format(str(exc).split("\n")[0][:200]))
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
        array = np.array(rows, dtype=np.float64)
    except (ValueError, TypeError):
        raise BadRequest("each instance must be 784 numbers, or 28 rows of 28 numbers")
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
    try:
        x = images.load_input(body, name="the uploaded image")
    except UserError as exc:
        raise BadRequest(str(exc))
    try:
        raw = images.raw_tutorial_input(body, name="the uploaded image", shrink=True)
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


def create_app(predictor, max_body=MAX_BODY):
    """The Flask application answering with ``predictor`` (an ``inference.Predictor``)."""
    from flask import Flask, Response, request, send_from_directory
    from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = max_body

    def answer(obj, status=200):
        return Response(json.dumps(obj, allow_nan=False), status=status,
                        mimetype="application/json")

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
        return answer({"error": text.get(exc.code, exc.description)}, exc.code)

    @app.errorhandler(BadRequest)
    def bad_request(exc):
        return answer({"error": str(exc)}, 400)

    @app.route("/")
    def page():
        return send_from_directory(WEB, "index.html")

    @app.route("/static/<path:name>")
    def static_file(name):
        return send_from_directory(WEB, name)

    @app.route("/v1/models/{}".format(MODEL_NAME))
    def status():
        return answer({"model_version_status": [{
            "version": VERSION, "state": "AVAILABLE",
            "status": {"error_code": "OK", "error_message": ""}}]})

    @app.route("/v1/models/{}/metadata".format(MODEL_NAME))
    def metadata():
        return answer({"model_spec": {"name": MODEL_NAME, "signature_name": "",
                                      "version": VERSION},
                       "metadata": {"signature_def": {"signature_def": {
                           "serving_default": signature()}}}})

    @app.route("/v1/models/{}:predict".format(MODEL_NAME), methods=["POST"])
    def predict():
        array, columnar = parse_instances(request.get_data(cache=False))
        probabilities = predictor.probabilities(list(array))
        classes = [int(c) for c in np.argmax(probabilities, axis=1)]
        if columnar:
            return answer({"outputs": {"classes": classes,
                                       "probabilities": probabilities.tolist()}})
        return answer({"predictions": [{"classes": c, "probabilities": p.tolist()}
                                       for c, p in zip(classes, probabilities)]})

    @app.route("/v1/images:predict", methods=["POST"])
    def predict_image_route():
        return answer(predict_image(predictor, request.get_data(cache=False)))

    return app


def serve(model_dir, host="127.0.0.1", port=8501, threads=8, ready=print):
    """Restore the model once, then serve until interrupted."""
    import logging

    import waitress

    from tf1_mnist.inference import Predictor

    # "Task queue depth is N" under a burst of clients: expected, and not the user's news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    with Predictor(model_dir) as predictor:
        predictor.probabilities([np.zeros(784, np.float32)])  # warm up before the first user
        try:
            server = waitress.create_server(create_app(predictor), host=host, port=port,
                                            threads=threads)
        except OSError as exc:
            raise UserError("cannot listen on {}:{} ({}); choose another --port or --host"
                            .format(host, port, exc.strerror or exc))
        shown_host = "[{}]".format(host) if ":" in host else host
        ready("Serving {} (model {}) at http://{}:{}/ ; TF Serving's REST API at "
              "http://{}:{}/v1/models/{} ; Ctrl-C stops".format(
                  model_dir, predictor.description["model"], shown_host, server.effective_port,
                  shown_host, server.effective_port, MODEL_NAME))
        try:
            server.run()
        finally:
            server.close()
