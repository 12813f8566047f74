// The drawing page: strokes on a canvas, sent (never blank) to /v1/images:predict, or
// to the network in the browser (browser.js) on the page `export --format web` writes.
(function () {
  "use strict";
  var canvas = document.getElementById("canvas");
  var ctx = canvas.getContext("2d");
  var seen = document.getElementById("network-input").getContext("2d");
  var bars = document.getElementById("probabilities");
  var predictionEl = document.getElementById("prediction");
  var confidenceEl = document.getElementById("confidence");
  var rawEl = document.getElementById("prediction-raw");
  var statusEl = document.getElementById("status");
  var dropzone = document.getElementById("dropzone");
  var hasInk = false, drawing = false, last = null;
  var inFlight = false, pending = null, timer = null, generation = 0;

  for (var d = 0; d < 10; d++) {
    var row = document.createElement("div");
    row.className = "bar";
    row.innerHTML = "<span>" + d + "</span><div class='track'><div class='fill'></div></div>" +
                    "<span class='value'></span>";
    bars.appendChild(row);
  }

  function blank() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }

  function show(result) {
    predictionEl.textContent = String(result.prediction);
    confidenceEl.textContent = (100 * result.probabilities[result.prediction]).toFixed(1) +
      "% sure";
    var rows = bars.children;
    for (var i = 0; i < 10; i++) {
      var p = result.probabilities[i];
      rows[i].className = "bar" + (i === result.prediction ? " top" : "");
      rows[i].querySelector(".fill").style.width = (100 * p).toFixed(1) + "%";
      rows[i].querySelector(".value").textContent = (100 * p).toFixed(1) + "%";
    }
    var image = seen.createImageData(28, 28);
    for (var y = 0; y < 28; y++) {
      for (var x = 0; x < 28; x++) {
        var v = Math.round(255 * result.network_input[y][x]), k = 4 * (28 * y + x);
        image.data[k] = image.data[k + 1] = image.data[k + 2] = v;
        image.data[k + 3] = 255;
      }
    }
    seen.putImageData(image, 0, 0);
    rawEl.textContent = result.raw_prediction === null ? "-" : String(result.raw_prediction);
    statusEl.textContent = "";
  }

  function reset() {
    generation++;
    predictionEl.textContent = "";
    rawEl.textContent = "";
    confidenceEl.textContent = "draw a digit to begin";
    statusEl.textContent = "";
    seen.clearRect(0, 0, 28, 28);
    var rows = bars.children;
    for (var i = 0; i < 10; i++) {
      rows[i].className = "bar";
      rows[i].querySelector(".fill").style.width = "0";
      rows[i].querySelector(".value").textContent = "";
    }
  }

  // The answer for an image file: from serve's /v1/images:predict, or, on the page that
  // `export --format web` writes, from browser.js, which runs the network here.
  var local = window.tf1mnist;
  function ask(body) {
    if (local) return local.predict(body);
    return fetch("v1/images:predict", { method: "POST", body: body })
      .then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      });
  }

  function send(body) {
    if (inFlight) { pending = body; return; }
    inFlight = true;
    var mine = generation;
    ask(body)
      .then(function (r) {
        if (mine !== generation) return;
        if (r.ok) show(r.json); else statusEl.textContent = r.json.error;
      })
      .catch(function (e) {
        statusEl.textContent = (local ? "the network did not run: " :
                                "the server did not answer: ") + e;
      })
      .then(function () {
        inFlight = false;
        if (pending) { var next = pending; pending = null; send(next); }
      });
  }

  function predictDrawing() {
    if (!hasInk) return;  // a blank canvas is never sent
    canvas.toBlob(function (blob) { if (hasInk) send(blob); }, "image/png");
  }

  function schedule(delay) {
    if (timer) return;
    timer = setTimeout(function () { timer = null; predictDrawing(); }, delay);
  }

  function point(e) {
    var box = canvas.getBoundingClientRect();
    return { x: (e.clientX - box.left) * canvas.width / box.width,
             y: (e.clientY - box.top) * canvas.height / box.height };
  }

  function stroke(e) {
    var p = point(e);
    var pressure = e.pointerType === "pen" && e.pressure > 0 ? e.pressure : 0.5;
    ctx.strokeStyle = "#111";
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.lineWidth = 12 + 16 * pressure;
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x + 0.01, p.y);
    ctx.stroke();
    last = p;
    hasInk = true;
  }

  canvas.addEventListener("pointerdown", function (e) {
    e.preventDefault();
    if (canvas.setPointerCapture) canvas.setPointerCapture(e.pointerId);
    drawing = true;
    last = point(e);
    stroke(e);
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!drawing) return;
    stroke(e);
    schedule(200);  // the prediction follows the pen
  });
  function end() {
    if (!drawing) return;
    drawing = false;
    predictDrawing();
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  document.getElementById("clear").addEventListener("click", function () {
    blank();
    hasInk = false;
    reset();
  });

  function useFile(file) {
    if (!file) return;
    var url = URL.createObjectURL(file);
    var picture = new Image();
    picture.onload = function () {
      blank();
      var scale = Math.min(canvas.width / picture.width, canvas.height / picture.height);
      var w = picture.width * scale, h = picture.height * scale;
      ctx.drawImage(picture, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
      URL.revokeObjectURL(url);
    };
    picture.onerror = function () { URL.revokeObjectURL(url); };
    picture.src = url;
    hasInk = true;
    generation++;
    send(file);  // the file itself, preprocessed as `predict` does
  }
  document.getElementById("upload").addEventListener("change", function (e) {
    useFile(e.target.files[0]);
    e.target.value = "";
  });
  dropzone.addEventListener("dragover", function (e) {
    e.preventDefault();
    dropzone.classList.add("over");
  });
  dropzone.addEventListener("dragleave", function () { dropzone.classList.remove("over"); });
  dropzone.addEventListener("drop", function (e) {
    e.preventDefault();
    dropzone.classList.remove("over");
    useFile(e.dataTransfer.files[0]);
  });

  blank();
  reset();
})();
