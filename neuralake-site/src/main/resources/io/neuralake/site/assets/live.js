// The live site's script (only in pages a server serves): a table's freshness, a preview of its first rows, an SQL
// console with a sortable result, and a plot of that result with uPlot. Everything goes through the server's API at
// "api/" beside the site's root (relative, so the site works under a proxy's sub-path), with the bearer token the
// reader gave when the server asks for one. Plain JavaScript, no build step.
(function () {
  "use strict";
  var SHOWN = 1000;          // rows of a console result read and shown; the rest is not fetched
  var TOKEN_KEY = "neuralake.token";
  var COOKIE = "neuralake_token";

  // ---- pure logic, exported for tests as window.neuralakeLive ----

  var TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

  // A column's kind from its values: "time" (ISO dates or timestamps), "number", or "text"; nulls are ignored.
  function kindOf(rows, column) {
    var kind = null;
    for (var i = 0; i < rows.length; i++) {
      var v = rows[i][column];
      if (v === null || v === undefined) continue;
      var k = typeof v === "number" ? "number" : (typeof v === "string" && TIME.test(v) ? "time" : "text");
      if (kind === null) kind = k;
      else if (kind !== k) return "text";
    }
    return kind || "text";
  }

  function ordered(rows, column) {
    for (var i = 1; i < rows.length; i++) {
      if (rows[i][column] !== null && rows[i - 1][column] !== null && rows[i][column] < rows[i - 1][column]) return false;
    }
    return true;
  }

  // What to draw for a result: a line chart over a time column (or a numeric column in order) with the numeric
  // columns as series, else a histogram of a numeric column; null when nothing is numeric.
  function choosePlot(columns, rows) {
    var kinds = {};
    columns.forEach(function (c) { kinds[c] = kindOf(rows, c); });
    var numeric = columns.filter(function (c) { return kinds[c] === "number"; });
    var x = columns.filter(function (c) { return kinds[c] === "time"; })[0];
    if (x === undefined && numeric.length > 1 && ordered(rows, numeric[0])) x = numeric[0];
    var ys = numeric.filter(function (c) { return c !== x; });
    if (x !== undefined && ys.length > 0) return { kind: "line", x: x, ys: ys, time: kinds[x] === "time" };
    if (numeric.length > 0) return { kind: "histogram", column: numeric[0] };
    return null;
  }

  // Equal-width bins over the non-null values: {edges: [lower bounds], counts}.
  function histogram(values, bins) {
    var xs = values.filter(function (v) { return typeof v === "number" && isFinite(v); });
    if (xs.length === 0) return { edges: [], counts: [] };
    var lo = Math.min.apply(null, xs), hi = Math.max.apply(null, xs);
    var n = lo === hi ? 1 : bins, width = lo === hi ? 1 : (hi - lo) / n;
    var edges = [], counts = [];
    for (var i = 0; i < n; i++) { edges.push(lo + i * width); counts.push(0); }
    xs.forEach(function (v) { counts[Math.min(n - 1, Math.floor((v - lo) / width))]++; });
    return { edges: edges, counts: counts };
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;   // nulls last either way
    if (b === null || b === undefined) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a) < String(b) ? -1 : 1;
  }

  window.neuralakeLive = { choosePlot: choosePlot, histogram: histogram, kindOf: kindOf, compare: compare };

  var body = document.body;
  if (!body || !body.hasAttribute("data-live")) return;   // a static site: nothing live here
  var root = body.getAttribute("data-root") || "";
  var api = root + body.getAttribute("data-live");
  var tokenRequired = body.getAttribute("data-token") === "required";

  // ---- the token ----

  function token() {
    try { return window.sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }

  var form = document.getElementById("token-form");
  if (form) {
    var field = document.getElementById("token");
    var status = document.getElementById("token-status");
    status.textContent = token() ? "token set for this tab" : "no token yet";
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var value = field.value.trim();
      try { window.sessionStorage.setItem(TOKEN_KEY, value); } catch (e) { /* private mode: the cookie still works */ }
      // pages are fetched by the browser itself, which cannot add a header: a session cookie for the site's own
      // path carries the token to them (the API takes only the header, so the cookie cannot be used across sites)
      var path = new URL(root || "./", window.location.href).pathname;
      document.cookie = COOKIE + "=" + encodeURIComponent(value) + "; path=" + path + "; SameSite=Strict"
          + (window.location.protocol === "https:" ? "; Secure" : "");
      window.location.reload();
    });
  }

  // ---- calls to the server ----

  function call(path, options, then, fail) {
    options = options || {};
    var headers = options.headers || {};
    if (token()) headers.Authorization = "Bearer " + token();
    options.headers = headers;
    fetch(api + path, options).then(function (res) {
      if (res.ok) return then(res);
      return res.text().then(function (text) {
        var message = text;
        try { message = JSON.parse(text).error.message; } catch (e) { /* not the server's JSON error */ }
        if (res.status === 401) {
          message = "The server refused the request (401 Unauthorized): " + message + ". "
              + (tokenRequired ? "Enter a valid token in the Token field at the top of the page." : "");
        } else {
          message = "The server answered " + res.status + ": " + message;
        }
        fail(message);
      });
    }).catch(function (e) { fail("The request failed: " + e.message); });
  }

  // Runs SQL, reading NDJSON rows as they come and stopping after SHOWN + 1 (so the reader knows there were more).
  function sql(text, then, fail) {
    var abort = new AbortController();
    call("sql", { method: "POST", body: text, headers: { Accept: "application/x-ndjson" }, signal: abort.signal },
        function (res) {
          var reader = res.body.getReader(), decoder = new TextDecoder(), rest = "", rows = [], columns = [], seen = {};
          function line(l) {
            if (!l) return;
            var row = JSON.parse(l);
            Object.keys(row).forEach(function (k) { if (!seen[k]) { seen[k] = true; columns.push(k); } });
            rows.push(row);
          }
          function pump() {
            return reader.read().then(function (chunk) {
              if (!chunk.done) {
                rest += decoder.decode(chunk.value, { stream: true });
                var lines = rest.split("\n");
                rest = lines.pop();
                lines.forEach(line);
              } else {
                line(rest.trim());
              }
              if (rows.length > SHOWN) {
                abort.abort();
                return then(columns, rows.slice(0, SHOWN), true);
              }
              if (chunk.done) return then(columns, rows, false);
              return pump();
            });
          }
          return pump();
        }, fail);
  }

  // ---- rendering ----

  function cell(v) {
    if (v === null || v === undefined) return "";
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  // A result as a table; with sortable set, clicking a header sorts by that column (again: the other way).
  function table(container, columns, rows, sortable) {
    container.textContent = "";
    var t = document.createElement("table");
    t.className = "result";
    var head = t.createTHead().insertRow();
    var tbody = t.createTBody();
    var sortedBy = null, ascending = true;
    function fill() {
      tbody.textContent = "";
      rows.forEach(function (r) {
        var tr = tbody.insertRow();
        columns.forEach(function (c) { tr.insertCell().textContent = cell(r[c]); });
      });
    }
    columns.forEach(function (c) {
      var th = document.createElement("th");
      th.scope = "col";
      if (sortable) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = c;
        b.addEventListener("click", function () {
          ascending = sortedBy === c ? !ascending : true;
          sortedBy = c;
          rows.sort(function (x, y) { var d = compare(x[c], y[c]); return ascending ? d : -d; });
          Array.prototype.forEach.call(head.cells, function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          fill();
        });
        th.appendChild(b);
      } else {
        th.textContent = c;
      }
      head.appendChild(th);
    });
    fill();
    container.appendChild(t);
  }

  function number(n) { return n.toLocaleString("en-US"); }

  // ---- the plot ----

  var chart = null;

  function select(label, options, chosen, multiple, onChange) {
    var wrap = document.createElement("label");
    wrap.textContent = label + " ";
    var s = document.createElement("select");
    s.multiple = multiple;
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o; opt.textContent = o;
      opt.selected = multiple ? chosen.indexOf(o) >= 0 : o === chosen;
      s.appendChild(opt);
    });
    s.addEventListener("change", onChange);
    wrap.appendChild(s);
    return { label: wrap, select: s };
  }

  function values(s) {
    return Array.prototype.filter.call(s.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
  }

  function plot(columns, rows) {
    var area = document.getElementById("plot-area");
    var controls = document.getElementById("plot-controls");
    var choice = choosePlot(columns, rows);
    if (chart) { chart.destroy(); chart = null; }
    if (!choice || typeof uPlot === "undefined") { area.hidden = true; return; }
    area.hidden = false;
    controls.textContent = "";
    var numeric = columns.filter(function (c) { return kindOf(rows, c) === "number"; });
    var xOptions = columns.filter(function (c) { var k = kindOf(rows, c); return k === "number" || k === "time"; });
    var kind = select("Chart", ["line", "histogram"], choice.kind, false, redraw);
    var x = select("X", xOptions, choice.x || xOptions[0], false, redraw);
    var ys = select("Y", numeric, choice.ys || [choice.column], true, redraw);
    [kind, x, ys].forEach(function (c) { controls.appendChild(c.label); });
    function redraw() {
      if (chart) { chart.destroy(); chart = null; }
      var ySel = values(ys.select);
      if (ySel.length === 0) return;
      var target = document.getElementById("plot");
      var width = Math.max(300, Math.min(target.clientWidth || 800, 1100));
      if (kind.select.value === "histogram") {
        var h = histogram(rows.map(function (r) { return r[ySel[0]]; }), 20);
        chart = new uPlot({
          width: width, height: 300, scales: { x: { time: false } }, axes: [{}, { size: 90 }],
          series: [{ label: ySel[0] }, { label: "rows", fill: "rgba(11,92,173,0.35)", stroke: "#0b5cad",
            paths: uPlot.paths.bars({ size: [0.9, Infinity], align: 1 }) }]
        }, [h.edges, h.counts], target);
        return;
      }
      var xCol = x.select.value, isTime = kindOf(rows, xCol) === "time";
      var sorted = rows.slice().sort(function (a, b) { return compare(a[xCol], b[xCol]); });
      var xs = sorted.map(function (r) { return isTime ? Date.parse(r[xCol]) / 1000 : r[xCol]; });
      var data = [xs];
      var series = [{ label: xCol }];
      var colors = ["#0b5cad", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490"];
      ySel.filter(function (c) { return c !== xCol; }).forEach(function (c, i) {
        data.push(sorted.map(function (r) { return r[c]; }));
        series.push({ label: c, stroke: colors[i % colors.length], width: 1.5 });
      });
      if (data.length < 2) return;
      chart = new uPlot({ width: width, height: 300, scales: { x: { time: isTime } }, axes: [{}, { size: 90 }],
        series: series }, data, target);
    }
    redraw();
  }

  // ---- the table page's live section ----

  var section = document.getElementById("live-section");
  if (!section) return;
  var qualified = section.getAttribute("data-table");

  var freshness = document.getElementById("freshness");
  call("freshness/" + encodeURIComponent(qualified), {}, function (res) {
    return res.json().then(function (f) {
      var parts = [];
      if (f.version !== null) parts.push("version " + number(f.version));
      if (f.last_modified !== null) parts.push("last changed " + f.last_modified);
      freshness.textContent = parts.length ? "Fresh as of now: " + parts.join(", ") + "."
          : "The table's metadata says nothing about its freshness (" + f.kind + " table).";
    });
  }, function (message) { freshness.textContent = message; });

  var previewStatus = document.getElementById("preview-status");
  previewStatus.textContent = "Reading the first rows…";
  sql(section.getAttribute("data-preview-sql"), function (columns, rows) {
    previewStatus.textContent = number(rows.length) + (rows.length === 1 ? " row" : " rows") + ".";
    table(document.getElementById("preview"), columns, rows, false);
  }, function (message) { previewStatus.textContent = message; });

  var consoleForm = document.getElementById("console");
  var text = document.getElementById("sql");
  var consoleStatus = document.getElementById("console-status");
  var running = false;
  function run() {
    if (running) return;
    running = true;
    consoleStatus.textContent = "Running…";
    var started = performance.now();
    sql(text.value, function (columns, rows, more) {
      running = false;
      var ms = Math.round(performance.now() - started);
      consoleStatus.textContent = (more ? "The first " + number(rows.length) + " rows are shown; the result has more"
          : number(rows.length) + (rows.length === 1 ? " row" : " rows")) + " (" + number(ms) + " ms).";
      table(document.getElementById("result"), columns, rows, true);
      plot(columns, rows);
    }, function (message) {
      running = false;
      consoleStatus.textContent = message;
      document.getElementById("result").textContent = "";
      document.getElementById("plot-area").hidden = true;
    });
  }
  consoleForm.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  text.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
  });
})();
