// The catalog site's script: search (fuzzy, ranked, highlighted; "/" and Ctrl/Cmd+K focus it, arrows move),
// code tabs and copy buttons. Plain JavaScript, no libraries; reads the index that search-index.js assigns, loaded
// after the page is shown (or at once when the search box is used first): a large catalog's index would otherwise
// hold up every page.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var entries = window.NEURALAKE_SEARCH || null;
  var waiting = null;

  // Loads search-index.js as a script (file:// pages may not fetch()), then calls then().
  function loadIndex(then) {
    if (entries) { if (then) then(); return; }
    if (!waiting) {
      waiting = [];
      var script = document.createElement("script");
      script.src = root + "search-index.js";
      script.async = true;
      script.onload = script.onerror = function () {
        entries = window.NEURALAKE_SEARCH || [];
        var callbacks = waiting;
        waiting = null;
        callbacks.forEach(function (f) { f(); });
      };
      document.body.appendChild(script);
    }
    if (then) waiting.push(then);
  }
  window.neuralakeSearchReady = function () { return entries !== null; };
  window.addEventListener("load", function () {
    (window.requestIdleCallback || function (f) { setTimeout(f, 50); })(function () { loadIndex(); });
  });

  // A match of query q in text s: contiguous (better when at the start or at a word start), else a subsequence
  // (better when its letters are close together). Returns {score, ranges} or null.
  function match(q, s) {
    if (!q || !s) return null;
    var lower = s.toLowerCase();
    var at = lower.indexOf(q);
    if (at >= 0) {
      var score = 100 - Math.min(at, 50);
      if (at === 0) score += 50;
      else if (/[^a-z0-9]/.test(lower.charAt(at - 1))) score += 25;
      if (q.length === lower.length) score += 100;
      return { score: score, ranges: [[at, at + q.length]] };
    }
    var ranges = [], i = 0, gaps = 0, last = -1;
    for (var k = 0; k < q.length; k++) {
      var found = lower.indexOf(q.charAt(k), i);
      if (found < 0) return null;
      if (last >= 0) gaps += found - last - 1;
      if (ranges.length && ranges[ranges.length - 1][1] === found) ranges[ranges.length - 1][1] = found + 1;
      else ranges.push([found, found + 1]);
      last = found; i = found + 1;
    }
    if (gaps > q.length * 3) return null;
    return { score: 40 - gaps, ranges: ranges };
  }

  // Ranks entries for a query: names weigh most, then column names, then descriptions (substring only there).
  function search(query, limit) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var out = [];
    (entries || []).forEach(function (e) {
      var best = null;
      var name = match(q, e.name);
      var shortName = e.type === "table" ? match(q, e.name.substring(e.name.indexOf(".") + 1)) : null;
      if (name) best = { score: name.score * 3, field: "name", text: e.name, ranges: name.ranges };
      if (shortName && (!best || shortName.score * 3 > best.score)) {
        var offset = e.name.indexOf(".") + 1;
        best = { score: shortName.score * 3, field: "name", text: e.name,
          ranges: shortName.ranges.map(function (r) { return [r[0] + offset, r[1] + offset]; }) };
      }
      (e.columns || []).forEach(function (c) {
        var m = match(q, c);
        if (m && (!best || m.score * 2 > best.score)) best = { score: m.score * 2, field: "column", text: c, ranges: m.ranges };
      });
      var d = e.description || "";
      var at = d.toLowerCase().indexOf(q);
      if (at >= 0 && (!best || 60 > best.score)) best = { score: 60, field: "description", text: d, ranges: [[at, at + q.length]] };
      if (best) {
        if (e.deprecated) best.score -= 20;
        best.entry = e;
        out.push(best);
      }
    });
    out.sort(function (a, b) { return b.score - a.score || a.entry.name.localeCompare(b.entry.name); });
    return out.slice(0, limit || 20);
  }
  window.neuralakeSearch = search;

  // Text with its matched ranges in <mark>, built from text nodes: catalog strings never become markup.
  function highlighted(text, ranges) {
    var frag = document.createDocumentFragment(), pos = 0;
    ranges.forEach(function (r) {
      if (r[0] > pos) frag.appendChild(document.createTextNode(text.substring(pos, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.substring(r[0], r[1]);
      frag.appendChild(mark);
      pos = r[1];
    });
    if (pos < text.length) frag.appendChild(document.createTextNode(text.substring(pos)));
    return frag;
  }

  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var active = -1;

  function setActive(i) {
    var items = list.querySelectorAll("li");
    items.forEach(function (li, k) { li.setAttribute("aria-selected", k === i ? "true" : "false"); });
    active = i;
    if (i >= 0 && items[i]) {
      input.setAttribute("aria-activedescendant", items[i].id);
      items[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  function render() {
    var results = search(input.value, 20);
    list.textContent = "";
    results.forEach(function (r, k) {
      var li = document.createElement("li");
      li.id = "result-" + k;
      li.setAttribute("role", "option");
      li.setAttribute("data-url", r.entry.url);
      li.appendChild(highlighted(r.entry.name, r.field === "name" ? r.ranges : []));
      var what = document.createElement("span");
      what.className = "what";
      what.textContent = " " + (r.entry.kind ? r.entry.kind + " table" : r.entry.type);
      li.appendChild(what);
      if (r.field !== "name") {
        var why = document.createElement("span");
        why.className = "why";
        why.appendChild(document.createTextNode(r.field === "column" ? "column " : ""));
        why.appendChild(highlighted(r.text, r.ranges));
        li.appendChild(why);
      }
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); go(r.entry.url); });
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    status.textContent = input.value.trim() ? results.length + " results" : "";
    setActive(results.length ? 0 : -1);
  }

  function go(url) {
    window.location.href = root + url;
  }

  if (input) {
    input.addEventListener("input", function () { loadIndex(render); });
    input.addEventListener("keydown", function (ev) {
      var n = list.querySelectorAll("li").length;
      if (ev.key === "ArrowDown" && n) { ev.preventDefault(); setActive((active + 1) % n); }
      else if (ev.key === "ArrowUp" && n) { ev.preventDefault(); setActive((active - 1 + n) % n); }
      else if (ev.key === "Enter" && active >= 0) {
        ev.preventDefault();
        go(list.querySelectorAll("li")[active].getAttribute("data-url"));
      } else if (ev.key === "Escape") { input.value = ""; close(); }
    });
    input.addEventListener("blur", close);
    input.addEventListener("focus", function () { loadIndex(function () { if (input.value.trim()) render(); }); });
    document.addEventListener("keydown", function (ev) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if ((ev.key === "k" || ev.key === "K") && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); input.focus(); input.select(); }
      else if (ev.key === "/" && !typing) { ev.preventDefault(); input.focus(); input.select(); }
    });
  }

  // Tabs: arrow keys move between them, as the ARIA tabs pattern says.
  document.querySelectorAll('[role="tablist"]').forEach(function (tablist) {
    var tabs = Array.prototype.slice.call(tablist.querySelectorAll('[role="tab"]'));
    function select(tab) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      });
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(tab); });
      tab.addEventListener("keydown", function (ev) {
        var next = ev.key === "ArrowRight" ? tabs[(i + 1) % tabs.length]
          : ev.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
        if (next) { ev.preventDefault(); select(next); next.focus(); }
      });
    });
  });

  // Copy buttons: the Clipboard API where the page may use it, else a selected textarea and execCommand.
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy")).textContent;
      var label = button.getAttribute("aria-label");
      function done(ok) {
        button.textContent = ok ? "Copied" : "Copy failed: select the code";
        button.setAttribute("aria-label", button.textContent);   // what a screen reader announces
        button.setAttribute("data-copied", ok ? "true" : "false");
        setTimeout(function () { button.textContent = "Copy"; button.setAttribute("aria-label", label); }, 2000);
      }
      function fallback() {
        var area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed"; area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        document.body.removeChild(area);
        done(ok);
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
