// The network in the browser, for the page `tf1-mnist export --format web` writes: the
// same MNIST-style preprocessing as tf1_mnist/images.py (crop, scale to 20 px, centre of
// mass at (14.0, 14.0), sub-pixel), done here in JavaScript, and the model run by ONNX
// Runtime Web (static/ort.wasm.min.js, loaded before this file). It answers app.js with
// what serve's /v1/images:predict answers, so the page is the same page.
(function (root) {
  "use strict";

  var SIDE = 28, BOX = 20, CENTRE = [14.0, 14.0], WORKING_SIZE = 512;
  var DENOISE_FROM = 56, MIN_CONTRAST = 0.15;

  function median(values) {
    var sorted = Float64Array.from(values).sort();
    var n = sorted.length, mid = n >> 1;
    return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  function percentile(values, q) {  // NumPy's default: linear between closest ranks
    var sorted = Float64Array.from(values).sort();
    var position = q / 100 * (sorted.length - 1), below = Math.floor(position);
    var above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
  }

  function roundHalfEven(x) {  // NumPy's and Python's round
    var r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 ? r - 1 : r;
  }

  // Grayscale in [0, 1] from RGBA bytes, as images._to_gray reads an RGBA image:
  // transparency flattened onto the background the ink contrasts with.
  function grayFromRGBA(data, width, height) {
    var n = width * height, gray = new Float64Array(n), alpha = new Float64Array(n);
    var minA = 1, maxA = 0, inked = 0, weight = 0;
    for (var i = 0; i < n; i++) {
      var a = data[4 * i + 3] / 255;
      gray[i] = 0.299 * data[4 * i] / 255 + 0.587 * data[4 * i + 1] / 255 +
                0.114 * data[4 * i + 2] / 255;
      alpha[i] = a;
      minA = Math.min(minA, a);
      maxA = Math.max(maxA, a);
      inked += gray[i] * a;
      weight += a;
    }
    if (minA === 1) return gray;
    if (maxA === 0) return new Float64Array(n);
    var background = inked / weight < 0.5 ? 1 : 0;
    for (var j = 0; j < n; j++) gray[j] = alpha[j] * gray[j] + (1 - alpha[j]) * background;
    return gray;
  }

  function sinc(x) {
    if (x === 0) return 1;
    x *= Math.PI;
    return Math.sin(x) / x;
  }

  function lanczos(x) { return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0; }

  // Pillow's resampling weights for one axis (Resample.c, precompute_coeffs).
  function coefficients(inSize, outSize) {
    var scale = inSize / outSize, filterscale = Math.max(scale, 1);
    var support = 3 * filterscale, result = [];
    for (var xx = 0; xx < outSize; xx++) {
      var center = (xx + 0.5) * scale, weights = [], total = 0;
      var xmin = Math.max(Math.trunc(center - support + 0.5), 0);
      var xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
      for (var x = 0; x < xmax; x++) {
        var w = lanczos((x + xmin - center + 0.5) / filterscale);
        weights.push(w);
        total += w;
      }
      if (total !== 0) for (var k = 0; k < weights.length; k++) weights[k] /= total;
      result.push({ start: xmin, weights: weights });
    }
    return result;
  }

  // Pillow's LANCZOS resize of a float ("F") image: horizontal pass, then vertical, each
  // summed in double precision and stored as float32.
  function resizeLanczos(pixels, width, height, outWidth, outHeight) {
    var across = coefficients(width, outWidth), down = coefficients(height, outHeight);
    var temp = new Float32Array(outWidth * height), out = new Float32Array(outWidth * outHeight);
    for (var y = 0; y < height; y++) {
      for (var x = 0; x < outWidth; x++) {
        var c = across[x], sum = 0;
        for (var i = 0; i < c.weights.length; i++) {
          sum += pixels[y * width + c.start + i] * c.weights[i];
        }
        temp[y * outWidth + x] = sum;
      }
    }
    for (var yy = 0; yy < outHeight; yy++) {
      var d = down[yy];
      for (var xx = 0; xx < outWidth; xx++) {
        var total = 0;
        for (var j = 0; j < d.weights.length; j++) {
          total += temp[(d.start + j) * outWidth + xx] * d.weights[j];
        }
        out[yy * outWidth + xx] = total;
      }
    }
    return out;
  }

  // Pillow's 3x3 median filter (edges repeated) of the ink as 8-bit.
  function median3(ink, width, height) {
    var bytes = new Uint8Array(ink.length), out = new Uint8Array(ink.length), window9 = [];
    for (var i = 0; i < ink.length; i++) bytes[i] = roundHalfEven(ink[i] * 255);
    for (var y = 0; y < height; y++) {
      for (var x = 0; x < width; x++) {
        window9.length = 0;
        for (var dy = -1; dy <= 1; dy++) {
          var yy = Math.min(Math.max(y + dy, 0), height - 1);
          for (var dx = -1; dx <= 1; dx++) {
            window9.push(bytes[yy * width + Math.min(Math.max(x + dx, 0), width - 1)]);
          }
        }
        window9.sort(function (a, b) { return a - b; });
        out[y * width + x] = window9[4];
      }
    }
    return out;
  }

  // images.centre: pad by 2, then shift the centre of mass to MNIST's with Pillow's
  // bilinear affine transform (pixels outside the input are 0).
  function centre(digit, width, height) {
    var w = width + 4, h = height + 4, padded = new Float64Array(w * h);
    var total = 0, sy = 0, sx = 0;
    for (var y = 0; y < height; y++) {
      for (var x = 0; x < width; x++) padded[(y + 2) * w + x + 2] = digit[y * width + x];
    }
    for (var i = 0; i < padded.length; i++) {
      var v = Math.fround(padded[i]);  // Image.fromarray(float32)
      padded[i] = v;
      total += v;
      sy += Math.floor(i / w) * v;
      sx += (i % w) * v;
    }
    var cy = total > 0 ? sy / total : (h - 1) / 2, cx = total > 0 ? sx / total : (w - 1) / 2;
    var shiftY = CENTRE[0] - cy, shiftX = CENTRE[1] - cx, out = new Float32Array(SIDE * SIDE);
    for (var oy = 0; oy < SIDE; oy++) {
      for (var ox = 0; ox < SIDE; ox++) {
        var xin = ox + 0.5 - shiftX, yin = oy + 0.5 - shiftY;
        if (xin < 0 || xin >= w || yin < 0 || yin >= h) continue;
        xin -= 0.5;
        yin -= 0.5;
        var x0 = Math.floor(xin), y0 = Math.floor(yin), fx = xin - x0, fy = yin - y0;
        var xa = Math.min(Math.max(x0, 0), w - 1), xb = Math.min(Math.max(x0 + 1, 0), w - 1);
        var row = Math.min(Math.max(y0, 0), h - 1);
        var v1 = padded[row * w + xa] + (padded[row * w + xb] - padded[row * w + xa]) * fx;
        var v2 = v1;
        if (y0 + 1 >= 0 && y0 + 1 < h) {
          var next = (y0 + 1) * w;
          v2 = padded[next + xa] + (padded[next + xb] - padded[next + xa]) * fx;
        }
        out[oy * SIDE + ox] = Math.min(Math.max(v1 + (v2 - v1) * fy, 0), 1);
      }
    }
    return out;
  }

  // images.preprocess: a grayscale [0, 1] image -> the network's 784 inputs, or an Error
  // saying no digit was found.
  function preprocess(gray, width, height) {
    var border = [], n = width * height, i;
    for (i = 0; i < width; i++) border.push(gray[i], gray[(height - 1) * width + i]);
    for (i = 0; i < height; i++) border.push(gray[i * width], gray[i * width + width - 1]);
    var light = median(border) > 0.5, ink = new Float64Array(n);
    var background = median(border.map(function (v) { return light ? 1 - v : v; }));
    var top = -Infinity;
    for (i = 0; i < n; i++) {
      ink[i] = (light ? 1 - gray[i] : gray[i]) - background;
      top = Math.max(top, ink[i]);
    }
    var contrast = n > 1000 ? percentile(ink, 99.9) : top;
    if (contrast < MIN_CONTRAST) {
      throw new Error("no digit found (the image is blank or its strokes barely differ " +
                      "from the background); draw the digit");
    }
    for (i = 0; i < n; i++) {
      var v = Math.min(Math.max(ink[i] / contrast, 0), 1);
      ink[i] = v < 0.2 ? 0 : v;
    }
    var mask = Math.min(width, height) >= DENOISE_FROM ? median3(ink, width, height) : ink;
    var top0 = -1, bottom = -1, left = width, right = -1;
    for (var y = 0; y < height; y++) {
      for (var x = 0; x < width; x++) {
        if (mask[y * width + x] > 0) {
          if (top0 < 0) top0 = y;
          bottom = y;
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    if (top0 < 0) throw new Error("no digit found (only specks stand out); draw it larger");
    var cw = right - left + 1, ch = bottom - top0 + 1, crop = new Float32Array(cw * ch);
    for (y = 0; y < ch; y++) {
      for (x = 0; x < cw; x++) crop[y * cw + x] = ink[(top0 + y) * width + left + x];
    }
    var scale = BOX / Math.max(cw, ch);
    var ow = Math.max(1, roundHalfEven(cw * scale)), oh = Math.max(1, roundHalfEven(ch * scale));
    var digit = resizeLanczos(crop, cw, ch, ow, oh);
    for (i = 0; i < digit.length; i++) digit[i] = Math.min(Math.max(digit[i], 0), 1);
    return centre(digit, ow, oh);
  }

  // A decoded picture's grayscale, shrunk to at most WORKING_SIZE as images.open_image does.
  function grayOf(picture) {
    var width = picture.naturalWidth || picture.width;
    var height = picture.naturalHeight || picture.height;
    var scale = Math.min(1, WORKING_SIZE / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var context = canvas.getContext("2d");
    context.drawImage(picture, 0, 0, canvas.width, canvas.height);
    var data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    return { gray: grayFromRGBA(data, canvas.width, canvas.height), width: canvas.width,
             height: canvas.height };
  }

  // What the tutorial fed: the picture shrunk to 28x28, inverted, at 0-255.
  function rawInput(picture) {
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = SIDE;
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, SIDE, SIDE);
    context.drawImage(picture, 0, 0, SIDE, SIDE);
    var data = context.getImageData(0, 0, SIDE, SIDE).data, out = new Float32Array(SIDE * SIDE);
    for (var i = 0; i < out.length; i++) {
      out[i] = 255 - roundHalfEven(0.299 * data[4 * i] + 0.587 * data[4 * i + 1] +
                                   0.114 * data[4 * i + 2]);
    }
    return out;
  }

  function decode(blob) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(blob), picture = new Image();
      picture.onload = function () { URL.revokeObjectURL(url); resolve(picture); };
      picture.onerror = function () {
        URL.revokeObjectURL(url);
        reject(new Error("not a readable image; give a PNG, JPEG or BMP file"));
      };
      picture.src = url;
    });
  }

  var session = null;
  function model() {
    if (!session) {
      var ort = root.ort;
      ort.env.wasm.numThreads = 1;  // no cross-origin isolation on a plain static server
      ort.env.wasm.wasmPaths = new URL("static/", document.baseURI).href;
      session = ort.InferenceSession.create("model.onnx", { executionProviders: ["wasm"] });
    }
    return session;
  }

  function run(inputs) {  // inputs: Float32Arrays of 784 -> their probabilities
    return model().then(function (s) {
      var batch = new Float32Array(784 * inputs.length);
      inputs.forEach(function (x, k) { batch.set(x, 784 * k); });
      var feeds = { images: new root.ort.Tensor("float32", batch, [inputs.length, 784]) };
      return s.run(feeds).then(function (out) {
        var p = out.probabilities.data, rows = [];
        for (var k = 0; k < inputs.length; k++) {
          rows.push(Array.from(p.slice(10 * k, 10 * k + 10)));
        }
        return rows;
      });
    });
  }

  function argmax(values) {
    var best = 0;
    for (var i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
    return best;
  }

  // app.js's way to predict: the answer of serve's /v1/images:predict, computed here.
  function predict(blob) {
    return decode(blob).then(function (picture) {
      var g = grayOf(picture), x;
      try {
        x = preprocess(g.gray, g.width, g.height);
      } catch (e) {
        return { ok: false, json: { error: "the image: " + e.message } };
      }
      return run([x, rawInput(picture)]).then(function (p) {
        var rows = [];
        for (var y = 0; y < SIDE; y++) {
          rows.push(Array.from(x.slice(SIDE * y, SIDE * y + SIDE)));
        }
        return { ok: true, json: {
          prediction: argmax(p[0]), probabilities: p[0], network_input: rows,
          raw_prediction: argmax(p[1]), raw_probability: Math.max.apply(null, p[1]) } };
      });
    }, function (e) { return { ok: false, json: { error: "the image: " + e.message } }; });
  }

  root.tf1mnist = { preprocess: preprocess, grayFromRGBA: grayFromRGBA, run: run,
                    predict: predict };
})(window);
