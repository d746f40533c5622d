/*
 * The trace page: lists the served models, runs one through the service's public API with "trace": true and
 * draws each recurrent layer's state after every step. Plain script, no build step; echarts is the only library.
 * window.rnnServingUi exposes what was drawn and how long it took, for the browser tests.
 */
(function () {
  "use strict";

  const SINE_PERIOD = 12;
  const DEFAULT_STEPS = 24;
  const DEFAULT_UNITS_SHOWN = 5;

  const page = {
    entries: [],        // every model version the service lists: {name, version, state, summaryPath, predictPath}
    entry: null,        // the chosen one
    summary: null,      // its GET /model answer
    chunks: [],         // the answers drawn so far: {offset, steps, lengths, layers: {name: {h, c}}}
    state: null,        // the last answer's state, fed back as h0 by "Next chunk"
    charts: {},         // echarts instances by element id
  };

  // heatmaps: by element id, the cells painted ([step, unit, value]) and the padding bands ([first, last] step)
  const ui = window.rnnServingUi = {runs: 0, lastRun: null, charts: page.charts, heatmaps: {}};

  const $ = (id) => document.getElementById(id);

  // ---------- the service's API ----------

  async function getJson(path) {
    try {
      const response = await fetch(path, {headers: {Accept: "application/json"}});
      const body = await response.json().catch(() => null);
      return {ok: response.ok, status: response.status, body};
    } catch (error) {
      return {ok: false, status: 0, body: {detail: String(error)}};
    }
  }

  function enc(part) {
    return encodeURIComponent(String(part));
  }

  /** GET /models when the service has a model repository, else the single model of GET /model. */
  async function loadModels() {
    const single = await getJson("model");
    const repository = await getJson("models");
    const entries = [];
    if (repository.ok && repository.body && Array.isArray(repository.body.models)) {
      for (const model of repository.body.models) {
        for (const version of model.versions || []) {
          const base = "models/" + enc(model.name) + "/versions/" + enc(version.version);
          entries.push({name: model.name, version: version.version, state: version.state || "AVAILABLE",
            reason: version.reason, summaryPath: base, predictPath: base + "/predict"});
        }
      }
    } else if (single.ok) {
      entries.push({name: single.body.name, version: single.body.version ?? null, state: "AVAILABLE",
        summaryPath: "model", predictPath: "predict", summary: single.body});
    }
    page.entries = entries;
    const select = $("model");
    select.replaceChildren();
    entries.forEach((entry, index) => {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = entry.name + (entry.version === null ? "" : " · version " + entry.version)
          + (entry.state === "AVAILABLE" ? "" : " · " + entry.state + (entry.reason ? ": " + entry.reason : ""));
      option.disabled = entry.state !== "AVAILABLE";
      select.append(option);
    });
    if (entries.length === 0) {
      const problem = single.body || {};
      $("model-status").textContent = "No model to show: " + (problem.detail || "GET /model answered "
          + single.status);
      return null;
    }
    const defaultName = single.ok ? single.body.name : null;
    const available = entries.filter((entry) => entry.state === "AVAILABLE");
    const byName = available.filter((entry) => entry.name === defaultName);
    const chosen = (byName.length ? byName : available)
        .reduce((best, entry) => (best === null || Number(entry.version) > Number(best.version) ? entry : best), null);
    if (chosen) {
      select.value = String(entries.indexOf(chosen));
    }
    $("model-status").textContent = entries.length + (entries.length === 1 ? " model version" : " model versions")
        + " served" + (defaultName ? "; the default model is " + defaultName + "." : ".");
    return chosen;
  }

  async function chooseModel(entry) {
    page.entry = entry;
    page.summary = entry.summary || null;
    if (!page.summary) {
      const answer = await getJson(entry.summaryPath);
      if (!answer.ok) {
        $("model-status").textContent = "GET /" + entry.summaryPath + " answered " + answer.status + ": "
            + ((answer.body && answer.body.detail) || "");
        return false;
      }
      page.summary = entry.summary = answer.body;
    }
    showSummary(page.summary);
    resetTrace();
    return true;
  }

  function recurrentLayers(summary) {
    // the recurrent layers are the ones that may return sequences (SimpleRNN today, LSTM and GRU next)
    return summary.layers.filter((layer) => layer.returnSequences !== undefined && layer.returnSequences !== null);
  }

  function features(summary) {
    const shape = summary.inputShape || [];
    return shape.length > 1 && shape[shape.length - 1] !== null ? shape[shape.length - 1] : 1;
  }

  function showSummary(summary) {
    const body = $("summary").tBodies[0];
    body.replaceChildren();
    for (const layer of summary.layers) {
      const row = body.insertRow();
      const cells = [layer.name, layer.className, layer.units ?? "", layer.activation ?? "",
        shapeText(layer.outputShape), layer.params];
      cells.forEach((value, index) => {
        const cell = row.insertCell();
        cell.textContent = String(value);
        if (index === cells.length - 1) {
          cell.className = "num";
        }
      });
    }
    $("total-params").textContent = String(summary.totalParams);
    $("summary-caption").textContent = summary.name + ": input " + shapeText([null].concat(summary.inputShape))
        + (summary.fileKind ? ", from " + summary.fileKind : "");
    const steps = summary.inputShape && summary.inputShape[0];
    $("gen-steps").value = String(steps || DEFAULT_STEPS);
    $("features").textContent = "D = " + features(summary) + " features per step (the model's input).";
  }

  function shapeText(shape) {
    return shape ? "(" + shape.map((size) => (size === null ? "None" : size)).join(", ") + ")" : "";
  }

  // ---------- the input editor ----------

  function generate() {
    const kind = $("gen-kind").value;
    const samples = clampInt($("gen-samples"), 1, 64);
    const steps = clampInt($("gen-steps"), 1, 10000);
    const start = clampInt($("gen-start"), 0, 1e9);
    const ragged = $("gen-ragged").checked;
    const width = page.summary ? features(page.summary) : 1;
    const x = [];
    for (let n = 0; n < samples; n++) {
      const length = ragged ? Math.max(1, Math.round(steps * (1 - n / (2 * samples)))) : steps;
      const sample = [];
      for (let t = 0; t < length; t++) {
        const row = [];
        for (let d = 0; d < width; d++) {
          row.push(round4(value(kind, start + t, d, width, n)));
        }
        sample.push(row);
      }
      x.push(sample);
    }
    $("x").value = "[" + x.map((sample) => JSON.stringify(sample)).join(",\n ") + "]";
    clearProblem();
    updateCurl();
  }

  function value(kind, step, feature, width, sample) {
    if (kind === "zeros") {
      return 0;
    }
    if (kind === "random") {
      return Math.random() * 2 - 1;
    }
    return Math.sin(2 * Math.PI * (step / SINE_PERIOD + feature / width) + 0.7 * sample);
  }

  function round4(number) {
    return Math.round(number * 1e4) / 1e4 + 0; // + 0 turns -0 into 0
  }

  function clampInt(input, min, max) {
    const number = Math.trunc(Number(input.value));
    const clamped = Number.isFinite(number) ? Math.min(max, Math.max(min, number)) : min;
    input.value = String(clamped);
    return clamped;
  }

  /** The request body, written around the editor's text so that the service judges x itself, pointer and all. */
  function requestBody(next) {
    const h0 = next && page.state !== null ? ', "h0": ' + JSON.stringify(page.state) : "";
    return '{"x": ' + $("x").value.trim() + ', "trace": true, "returnState": true' + h0 + "}";
  }

  function updateCurl(next) {
    const url = new URL(page.entry ? page.entry.predictPath : "predict", document.baseURI).href;
    const quoted = "'" + requestBody(next).replace(/'/g, "'\\''") + "'";
    $("curl").value = "curl -s " + url + " -H 'Content-Type: application/json' -d " + quoted;
  }

  async function copyCurl() {
    const text = $("curl").value;
    try {
      await navigator.clipboard.writeText(text);
      $("copy-status").textContent = "Copied.";
    } catch (error) {
      $("curl").select();
      $("copy-status").textContent = document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C to copy.";
    }
  }

  // ---------- problems ----------

  function showProblem(status, problem) {
    $("problem-title").textContent = (problem && problem.title) || "Refused";
    $("problem-status").textContent = "(" + status + ")";
    $("problem-detail").textContent = (problem && (problem.detail || problem.error)) || "";
    $("problem-pointer").textContent = (problem && problem.pointer) || "(none given)";
    $("problem").hidden = false;
    $("x").setAttribute("aria-invalid", "true");
    $("run-status").textContent = "The service refused the request: see the problem under the input.";
    selectPointer(problem && problem.pointer);
  }

  /**
   * Where a pointer into x (/x/1/4) lies in the editor's text, as [start, end], or null: the scanner counts array
   * elements, as the service does when it names the first offending place.
   */
  function locate(text, path) {
    const indices = [];
    let expectingElement = false;
    let start = -1;
    for (let at = 0; at < text.length; at++) {
      const character = text[at];
      if (character === " " || character === "\n" || character === "\r" || character === "\t") {
        continue;
      }
      if (expectingElement) {
        expectingElement = false;
        if (start < 0 && indices.length === path.length && indices.every((index, level) => index === path[level])) {
          start = at;
        }
      }
      if (character === "[") {
        indices.push(0);
        expectingElement = true;
      } else if (character === "," || character === "]") {
        if (start >= 0 && indices.length === path.length) {
          return [start, text.slice(0, at).trimEnd().length];
        }
        if (character === ",") {
          indices[indices.length - 1] += 1;
          expectingElement = true;
        } else {
          indices.pop();
        }
      }
    }
    return null;
  }

  /** Selects the offending place of x in the editor, when the pointer is into x. */
  function selectPointer(pointer) {
    const match = /^\/x((?:\/\d+)+)$/.exec(pointer || "");
    if (!match) {
      return;
    }
    const place = locate($("x").value, match[1].slice(1).split("/").map(Number));
    if (place) {
      $("x").focus();
      $("x").setSelectionRange(place[0], place[1]);
    }
  }

  function clearProblem() {
    $("problem").hidden = true;
    $("x").removeAttribute("aria-invalid");
  }

  // ---------- running ----------

  let running = false;

  async function run(next) {
    if (running || !page.entry) {
      return;
    }
    running = true;
    clearProblem();
    updateCurl(next);
    $("run-status").textContent = "Running…";
    try {
      const started = performance.now();
      let response;
      let answer;
      try {
        response = await fetch(page.entry.predictPath, {method: "POST", body: requestBody(next),
          headers: {"Content-Type": "application/json", Accept: "application/json, application/problem+json"}});
        answer = await response.json().catch(() => null);
      } catch (error) {
        showProblem("no answer", {title: "The service did not answer", detail: String(error)});
        return;
      }
      if (!response.ok || !answer) {
        showProblem(response.status, answer);
        return;
      }
      const answered = performance.now();
      if (!next) {
        page.chunks = [];
      }
      addChunk(answer);
      page.state = answer.state ?? null;
      $("yhat").textContent = "[" + answer.yhat.map((row) => JSON.stringify(row)).join(",\n ") + "]";
      const drawn = drawAll();
      await drawn;
      const finished = performance.now();
      const total = totalSteps();
      $("gen-start").value = String(total);
      $("next-chunk").disabled = page.state === null;
      ui.lastRun = {requestMs: answered - started, renderMs: finished - answered, steps: total,
        chunks: page.chunks.length};
      ui.runs += 1;
      $("run-status").textContent = "Answered in " + Math.round(answered - started) + " ms, drawn in "
          + Math.round(finished - answered) + " ms: " + answer.yhat.length + " sample(s), " + total + " step(s)"
          + (page.chunks.length > 1 ? " in " + page.chunks.length + " chunks" : "") + ".";
    } finally {
      running = false;
    }
  }

  /** One answer's trace, placed after the steps drawn so far (a chunk's padding included). */
  function addChunk(answer) {
    const recurrent = recurrentLayers(page.summary);
    const last = recurrent.length ? recurrent[recurrent.length - 1].name : "hidden";
    const hidden = answer.hiddenByLayer || (answer.hidden ? {[last]: answer.hidden} : {});
    const cells = answer.cellByLayer || (answer.cell ? {[last]: answer.cell} : {});
    const layers = {};
    let lengths = null;
    for (const name of Object.keys(hidden)) {
      layers[name] = {h: hidden[name], c: cells[name] || null};
      lengths = lengths || hidden[name].map((sample) => sample.length);
    }
    lengths = lengths || answer.yhat.map(() => 0);
    page.chunks.push({offset: totalSteps(), steps: Math.max(0, ...lengths), lengths, layers});
  }

  function totalSteps() {
    return page.chunks.reduce((sum, chunk) => sum + chunk.steps, 0);
  }

  function resetTrace() {
    page.chunks = [];
    page.state = null;
    $("next-chunk").disabled = true;
    $("gen-start").value = "0";
    for (const id of Object.keys(page.charts)) {
      page.charts[id].dispose();
      delete page.charts[id];
    }
    for (const id of Object.keys(ui.heatmaps)) {
      delete ui.heatmaps[id];
    }
    $("heatmaps").replaceChildren();
    $("yhat").textContent = "";
  }

  // ---------- charts ----------

  /** Every state drawn: {key, layer, kind ("h" or "c"), units}, in layer order. */
  function drawnStates() {
    const states = [];
    const first = page.chunks[0];
    if (!first) {
      return states;
    }
    for (const name of Object.keys(first.layers)) {
      const layer = first.layers[name];
      const units = unitsOf(layer.h);
      states.push({key: name + ":h", layer: name, kind: "h", units});
      if (layer.c) {
        states.push({key: name + ":c", layer: name, kind: "c", units});
      }
    }
    return states;
  }

  function unitsOf(sequences) {
    for (const sample of sequences) {
      if (sample.length) {
        return sample[0].length;
      }
    }
    return 0;
  }

  function sampleCount() {
    return page.chunks.length ? page.chunks[0].lengths.length : 0;
  }

  function chartFor(element) {
    let chart = page.charts[element.id];
    if (!chart) {
      chart = page.charts[element.id] = echarts.init(element, null, {renderer: "canvas"});
    }
    return chart;
  }

  /** Resolves once the chart has drawn its new option (or after a while: a chart without room draws nothing). */
  function rendered(chart) {
    return new Promise((resolve) => {
      const done = () => {
        chart.off("finished", done);
        clearTimeout(fallback);
        resolve();
      };
      const fallback = setTimeout(done, 10000);
      chart.on("finished", done);
    });
  }

  function drawAll() {
    syncSampleChoice();
    syncLineChoices();
    const states = drawnStates();
    const container = $("heatmaps");
    const wanted = new Set(states.map((state) => heatmapId(state)));
    for (const element of Array.from(container.children)) {
      if (!wanted.has(element.dataset.chart)) {
        const id = element.dataset.chart;
        if (page.charts[id]) {
          page.charts[id].dispose();
          delete page.charts[id];
        }
        delete ui.heatmaps[id];
        element.remove();
      }
    }
    const waits = states.map((state) => drawHeatmap(state));
    waits.push(drawLines());
    return Promise.all(waits);
  }

  function heatmapId(state) {
    return "heatmap-" + state.layer.replace(/[^A-Za-z0-9_-]/g, "_") + "-" + state.kind;
  }

  function heatmapElement(state) {
    const id = heatmapId(state);
    let element = $(id);
    if (element) {
      return element;
    }
    const block = document.createElement("div");
    block.className = "layer";
    block.dataset.chart = id;
    const title = document.createElement("h3");
    title.textContent = state.layer + (state.kind === "c" ? ": cell state c" : ": hidden state h") + ", "
        + state.units + " units";
    element = document.createElement("div");
    element.id = id;
    element.className = "chart heatmap " + (state.units <= 8 ? "rows-s" : state.units <= 32 ? "rows-m"
        : state.units <= 64 ? "rows-l" : "rows-xl");
    element.setAttribute("role", "img");
    element.setAttribute("aria-label", "Heatmap of layer " + state.layer + "'s " + state.kind
        + " state: units by timesteps");
    const frame = document.createElement("div");
    frame.className = "heatmap-frame";
    const tip = document.createElement("div");
    tip.id = id + "-tip";
    tip.className = "cell-tip";
    tip.hidden = true;
    frame.append(element, tip);
    const readout = document.createElement("output");
    readout.id = id + "-value";
    readout.setAttribute("aria-live", "polite");
    readout.textContent = "Point at a cell to read its value.";
    block.append(title, frame, readout);
    $("heatmaps").append(block);
    return element;
  }

  /** [step, unit, value] for every computed step of the chosen sample; padding steps get no cell. */
  function heatmapCells(state, sample) {
    const cells = [];
    for (const chunk of page.chunks) {
      const layer = chunk.layers[state.layer];
      const sequence = layer && (state.kind === "c" ? layer.c : layer.h);
      const steps = sequence ? sequence[sample] : [];
      for (let t = 0; t < steps.length; t++) {
        const row = steps[t];
        for (let unit = 0; unit < row.length; unit++) {
          cells.push([chunk.offset + t, unit, row[unit]]);
        }
      }
    }
    return cells;
  }

  /** The chosen sample's padding, as [first step, end] ranges for the grey bands. */
  function paddingRanges(sample) {
    const ranges = [];
    for (const chunk of page.chunks) {
      const length = chunk.lengths[sample];
      if (length < chunk.steps) {
        ranges.push([chunk.offset + length, chunk.offset + chunk.steps - 1]);
      }
    }
    return ranges;
  }

  /**
   * A heatmap: echarts draws the axes, the colour scale and the padding bands; the cells are painted once into a
   * canvas that echarts shows as one image, since 64,000 cells as 64,000 chart elements take seconds to draw.
   */
  function drawHeatmap(state) {
    const element = heatmapElement(state);
    const chart = chartFor(element);
    const sample = Number($("sample").value || 0);
    const cells = heatmapCells(state, sample);
    const padding = paddingRanges(sample);
    ui.heatmaps[element.id] = {cells, padding};
    let extent = 0;
    for (const cell of cells) {
      extent = Math.max(extent, Math.abs(cell[2]));
    }
    extent = extent || 1;
    const total = totalSteps();
    const units = state.units;
    const values = new Float64Array(total * units).fill(NaN);
    for (const [step, unit, value] of cells) {
      values[unit * total + step] = value;
    }
    const grid = {left: 56, right: 86, top: 12, bottom: 42};
    const cellWidth = Math.max(1, Math.ceil((chart.getWidth() - grid.left - grid.right) / total));
    const cellHeight = Math.max(1, Math.ceil((chart.getHeight() - grid.top - grid.bottom) / units));
    const image = paintCells(cells, total, units, extent, cellWidth, cellHeight);
    const done = rendered(chart);
    chart.setOption({
      animation: false,
      grid: Object.assign({show: true, backgroundColor: "#d9dce3", borderColor: "#d9dce3"}, grid),
      xAxis: {type: "category", name: "step", nameLocation: "middle", nameGap: 26,
        data: Array.from({length: total}, (_, step) => step)},
      yAxis: {type: "category", name: "unit", nameLocation: "middle", nameGap: 38, inverse: true,
        data: Array.from({length: units}, (_, unit) => unit),
        axisLabel: {interval: Math.max(0, Math.ceil(units / 16) - 1)}},
      visualMap: {type: "continuous", min: -extent, max: extent, dimension: 2, calculable: false,
        orient: "vertical", right: 4, top: "middle", itemHeight: 120, seriesIndex: 0,
        text: ["+" + extent.toPrecision(3), "−" + extent.toPrecision(3)],
        inRange: {color: HEAT_COLORS.map(([r, g, b]) => "rgb(" + r + "," + g + "," + b + ")")}},
      series: [{
        type: "custom",
        name: state.layer + " " + state.kind,
        data: [[0, 0, 0]],
        silent: true,
        clip: true,
        renderItem: (params, api) => {
          const first = api.coord([0, 0]);
          const size = api.size([1, 1]);
          return {type: "image", silent: true, style: {image, x: first[0] - size[0] / 2, y: first[1] - size[1] / 2,
            width: size[0] * total, height: size[1] * units}};
        },
        markArea: {
          silent: true,
          itemStyle: {color: "rgba(0, 0, 0, 0)"},
          label: {show: true, position: "insideTop", color: "#5b6475", formatter: "padding"},
          data: padding.map(([from, to]) => [{xAxis: from}, {xAxis: to}]),
        },
      }],
    }, {notMerge: true});
    pointAt(chart, element, state, values, total);
    return done;
  }

  /** The value under the pointer, beside it and in the heatmap's readout. */
  function pointAt(chart, element, state, values, total) {
    const readout = $(element.id + "-value");
    const tip = $(element.id + "-tip");
    const zr = chart.getZr();
    zr.off("mousemove");
    zr.off("globalout");
    zr.on("mousemove", (event) => {
      const pixel = [event.offsetX, event.offsetY];
      if (!chart.containPixel({gridIndex: 0}, pixel)) {
        tip.hidden = true;
        return;
      }
      const [step, unit] = chart.convertFromPixel({gridIndex: 0}, pixel);
      const value = values[unit * total + step];
      const text = Number.isNaN(value) ? "step " + step + ", unit " + unit + ": padding, never computed"
          : cellText(state, [step, unit, value]);
      readout.textContent = text;
      tip.textContent = text;
      tip.hidden = false;
      tip.style.left = (event.offsetX + 14) + "px";
      tip.style.top = (event.offsetY + 14) + "px";
    });
    zr.on("globalout", () => {
      tip.hidden = true;
    });
  }

  const HEAT_COLORS = [[33, 102, 172], [146, 197, 222], [247, 247, 247], [244, 165, 130], [178, 24, 43]];

  /** 256 colours from -extent (blue) through 0 (white) to +extent (red). */
  const HEAT_SCALE = (() => {
    const scale = new Uint8ClampedArray(256 * 3);
    for (let index = 0; index < 256; index++) {
      const position = index / 255 * (HEAT_COLORS.length - 1);
      const low = Math.min(HEAT_COLORS.length - 2, Math.floor(position));
      const fraction = position - low;
      for (let channel = 0; channel < 3; channel++) {
        scale[index * 3 + channel] = Math.round(HEAT_COLORS[low][channel] * (1 - fraction)
            + HEAT_COLORS[low + 1][channel] * fraction);
      }
    }
    return scale;
  })();

  /** The cells as pixels, each cellWidth × cellHeight; padding steps stay transparent. */
  function paintCells(cells, total, units, extent, cellWidth, cellHeight) {
    const canvas = document.createElement("canvas");
    canvas.width = total * cellWidth;
    canvas.height = units * cellHeight;
    const context = canvas.getContext("2d");
    const image = context.createImageData(canvas.width, canvas.height);
    const pixels = image.data;
    for (const [step, unit, value] of cells) {
      const index = Math.max(0, Math.min(255, Math.round((value / extent + 1) / 2 * 255))) * 3;
      for (let dy = 0; dy < cellHeight; dy++) {
        let offset = ((unit * cellHeight + dy) * canvas.width + step * cellWidth) * 4;
        for (let dx = 0; dx < cellWidth; dx++) {
          pixels[offset] = HEAT_SCALE[index];
          pixels[offset + 1] = HEAT_SCALE[index + 1];
          pixels[offset + 2] = HEAT_SCALE[index + 2];
          pixels[offset + 3] = 255;
          offset += 4;
        }
      }
    }
    context.putImageData(image, 0, 0);
    return canvas;
  }

  function cellText(state, cell) {
    return "step " + cell[0] + ", unit " + cell[1] + ": " + state.kind + " = " + cell[2];
  }

  function syncSampleChoice() {
    const select = $("sample");
    const count = sampleCount();
    if (select.options.length !== count) {
      const previous = Number(select.value || 0);
      select.replaceChildren();
      for (let n = 0; n < count; n++) {
        const option = document.createElement("option");
        option.value = String(n);
        option.textContent = "sample " + n;
        select.append(option);
      }
      select.value = String(previous < count ? previous : 0);
    }
    const sample = Number(select.value || 0);
    const valid = page.chunks.reduce((sum, chunk) => sum + chunk.lengths[sample], 0);
    $("sample-note").textContent = count ? "Sample " + sample + ": " + valid + " computed steps of "
        + totalSteps() + (valid < totalSteps() ? "; the rest is padding, never computed." : ".") : "";
  }

  function syncLineChoices() {
    const states = drawnStates();
    const layerSelect = $("line-layer");
    const keys = states.map((state) => state.key);
    const current = Array.from(layerSelect.options).map((option) => option.value);
    if (keys.join("|") !== current.join("|")) {
      const previous = layerSelect.value;
      layerSelect.replaceChildren();
      for (const state of states) {
        const option = document.createElement("option");
        option.value = state.key;
        option.textContent = state.layer + " (" + state.kind + ")";
        layerSelect.append(option);
      }
      layerSelect.value = keys.includes(previous) ? previous : (keys[keys.length - 1] || "");
    }
    const state = states.find((candidate) => candidate.key === layerSelect.value);
    const unitSelect = $("units");
    const units = state ? state.units : 0;
    if (unitSelect.options.length !== units) {
      unitSelect.replaceChildren();
      for (let unit = 0; unit < units; unit++) {
        const option = document.createElement("option");
        option.value = String(unit);
        option.textContent = "unit " + unit;
        option.selected = unit < DEFAULT_UNITS_SHOWN;
        unitSelect.append(option);
      }
    }
  }

  function drawLines() {
    const element = $("lines");
    const chart = chartFor(element);
    const state = drawnStates().find((candidate) => candidate.key === $("line-layer").value);
    const sample = Number($("sample").value || 0);
    const chosen = Array.from($("units").selectedOptions).map((option) => Number(option.value));
    const series = [];
    if (state) {
      for (const unit of chosen) {
        const points = [];
        for (const chunk of page.chunks) {
          const layer = chunk.layers[state.layer];
          const steps = (state.kind === "c" ? layer.c : layer.h)[sample];
          steps.forEach((row, t) => points.push([chunk.offset + t, row[unit]]));
          if (steps.length < chunk.steps) {
            points.push([chunk.offset + steps.length, "-"]); // a gap where the padding is
          }
        }
        series.push({type: "line", name: "unit " + unit, data: points, showSymbol: points.length <= 60,
          connectNulls: false});
      }
    }
    const done = rendered(chart);
    chart.setOption({
      animation: false,
      tooltip: {trigger: "axis", valueFormatter: (number) => (typeof number === "number" ? number.toFixed(6) : "")},
      legend: {type: "scroll", top: 0},
      grid: {left: 56, right: 24, top: 36, bottom: 42},
      xAxis: {type: "value", name: "step", nameLocation: "middle", nameGap: 26, min: 0,
        max: Math.max(0, totalSteps() - 1), minInterval: 1},
      yAxis: {type: "value", name: state ? state.kind : "", scale: true},
      series,
    }, {notMerge: true});
    return done;
  }

  function redraw() {
    if (page.chunks.length) {
      drawAll();
    }
  }

  // ---------- start ----------

  function resizeCharts() {
    for (const id of Object.keys(page.charts)) {
      page.charts[id].resize();
    }
  }

  async function start() {
    $("generate").addEventListener("click", generate);
    $("predict").addEventListener("click", () => run(false));
    $("next-chunk").addEventListener("click", () => run(true));
    $("copy-curl").addEventListener("click", copyCurl);
    $("x").addEventListener("input", () => updateCurl(false));
    $("sample").addEventListener("change", redraw);
    $("line-layer").addEventListener("change", () => {
      $("units").replaceChildren();
      redraw();
    });
    $("units").addEventListener("change", () => page.chunks.length && drawLines());
    $("model").addEventListener("change", async () => {
      const entry = page.entries[Number($("model").value)];
      if (entry && await chooseModel(entry)) {
        generate();
        await run(false);
      }
    });
    window.addEventListener("resize", resizeCharts);

    const chosen = await loadModels();
    if (chosen && await chooseModel(chosen)) {
      generate(); // the default model's example, run and drawn, so the page is never empty
      await run(false);
    }
    ui.ready = true;
  }

  start();
})();
