/* herald search: loads only the index shards a query needs. No dependencies.
   The tokenizer mirrors src/search/tokens.rs; keep them in step. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var SHARDS = +root.dataset.shards, DOCS = +root.dataset.docs, CHUNK = +root.dataset.chunk;
  var VERSION = root.dataset.version;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var base = (document.currentScript && document.currentScript.src) || "";
  var loaded = { i: {}, d: {} }, waiting = { i: {}, d: {} };

  window.herald_search = function (kind, n, data) {
    loaded[kind][n] = data;
    (waiting[kind][n] || []).forEach(function (f) { f(data); });
    waiting[kind][n] = [];
  };
  function load(kind, n) {
    if (loaded[kind][n]) return Promise.resolve(loaded[kind][n]);
    return new Promise(function (resolve, reject) {
      var first = !waiting[kind][n] || waiting[kind][n].length === 0;
      (waiting[kind][n] = waiting[kind][n] || []).push(resolve);
      if (!first && document.getElementById("hs-" + kind + n)) return;
      var s = document.createElement("script");
      s.id = "hs-" + kind + n;
      s.src = new URL((kind === "i" ? "index-" : "docs-") + n + ".js?v=" + VERSION, location.href.replace(/[?#].*$/, "")).href;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function isCjk(c) {
    var x = c.codePointAt(0);
    return (x >= 0x3040 && x <= 0x30ff) || (x >= 0x3400 && x <= 0x4dbf) || (x >= 0x4e00 && x <= 0x9fff) ||
      (x >= 0xac00 && x <= 0xd7af) || (x >= 0xf900 && x <= 0xfaff) || (x >= 0x20000 && x <= 0x2fa1f);
  }
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  function stem(w) {
    if (!/^[\x00-\x7f]*$/.test(w)) return w;
    var n = w.length;
    if (n > 5 && w.endsWith("ing")) return w.slice(0, -3);
    if (n > 4 && (w.endsWith("ed") || w.endsWith("es"))) return w.slice(0, -2);
    if (n > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
    return w;
  }
  /* Query tokens: {t, prefix}. Also returns the strings to highlight. */
  function tokenize(q) {
    var chars = Array.from(q.toLowerCase()), out = [], marks = [], i = 0;
    while (i < chars.length) {
      var c = chars[i];
      if (isCjk(c)) {
        var start = i;
        while (i < chars.length && isCjk(chars[i])) i++;
        var run = chars.slice(start, i);
        marks.push(run.join(""));
        if (run.length === 1) out.push({ t: run[0], prefix: false });
        else for (var k = 0; k + 1 < run.length; k++) out.push({ t: run[k] + run[k + 1], prefix: false });
      } else if (ALNUM.test(c)) {
        var s = i;
        while (i < chars.length && ALNUM.test(chars[i]) && !isCjk(chars[i])) i++;
        if (i - s >= 2) {
          var w = chars.slice(s, i).join("");
          out.push({ t: stem(w), prefix: true });
          marks.push(stem(w));
        }
      } else i++;
    }
    return { tokens: out, marks: marks };
  }
  /* CJK tokens shard by the whole token, Latin words by two letters. */
  function shardOf(t) {
    var chars = Array.from(t);
    var key = isCjk(chars[0]) ? chars : chars.slice(0, 2);
    var h = 0x811c9dc5;
    for (var ch of key) { h ^= ch.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
    return h % SHARDS;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function highlight(text, marks) {
    var parts = marks.filter(Boolean).map(function (m) { return m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    if (!parts.length) return escapeHtml(text);
    var re = new RegExp("(" + parts.sort(function (a, b) { return b.length - a.length; }).join("|") + ")", "giu");
    return text.split(re).map(function (piece, i) { return i % 2 ? "<mark>" + escapeHtml(piece) + "</mark>" : escapeHtml(piece); }).join("");
  }

  var current = 0;
  function search(q) {
    var ticket = ++current;
    var parsed = tokenize(q);
    if (!parsed.tokens.length) { list.innerHTML = ""; status.textContent = ""; return; }
    var shards = Array.from(new Set(parsed.tokens.map(function (x) { return shardOf(x.t); })));
    Promise.all(shards.map(function (s) { return load("i", s); })).then(function () {
      if (ticket !== current) return;
      /* Each token's matching documents: {doc: weight}, or null when the
         token is too common to narrow anything. */
      var perToken = parsed.tokens.map(function (x) {
        var shard = loaded.i[shardOf(x.t)], docs = {}, common = false;
        var keys = x.prefix ? Object.keys(shard).filter(function (k) { return k.startsWith(x.t); }) : (x.t in shard ? [x.t] : []);
        keys.forEach(function (k) {
          var p = shard[k];
          if (p === 0) { common = true; return; }
          for (var j = 0, d = 0; j < p.length; j++) { d += p[j] >> 3; docs[d] = Math.max(docs[d] || 0, p[j] & 7); }
        });
        return common && !Object.keys(docs).length ? null : docs;
      }).filter(function (docs) { return docs !== null; });
      var scores = {}, hits = {};
      perToken.forEach(function (docs) {
        var ids = Object.keys(docs), idf = Math.log(1 + DOCS / Math.max(1, ids.length));
        ids.forEach(function (d) { scores[d] = (scores[d] || 0) + docs[d] * idf; hits[d] = (hits[d] || 0) + 1; });
      });
      var ids = Object.keys(scores);
      var best = ids.reduce(function (m, d) { return Math.max(m, hits[d]); }, 0);
      ids = ids.filter(function (d) { return hits[d] === best; });
      /* Every word is in most pages: list the newest (documents are by date). */
      if (!perToken.length) ids = Array.from({ length: Math.min(DOCS, 50) }, function (_, i) { return String(i); });
      ids.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
      var top = ids.slice(0, 10).map(Number);
      var chunks = Array.from(new Set(top.map(function (d) { return Math.floor(d / CHUNK); })));
      return Promise.all(chunks.map(function (c) { return load("d", c); })).then(function () {
        if (ticket !== current) return;
        render(top, ids.length, parsed.marks);
      });
    }).catch(function () { status.textContent = "⚠"; });
  }
  function render(top, total, marks) {
    status.textContent = top.length ? root.dataset.count.replace("{n}", total) : root.dataset.none;
    list.innerHTML = top.map(function (d) {
      var doc = loaded.d[Math.floor(d / CHUNK)][d % CHUNK];
      var meta = [doc[2], doc[3]].filter(Boolean).map(escapeHtml).join(" · ");
      return '<li><a href="' + escapeHtml(doc[1]) + '">' + highlight(doc[0], marks) + "</a>" +
        (meta ? '<span class="meta">' + meta + "</span>" : "") + "<p>" + highlight(doc[4], marks) + "</p></li>";
    }).join("");
  }

  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
      search(q);
    }, 120);
  });
  root.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); search(input.value.trim()); });
  /* Arrow keys move between the input and the results. */
  root.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.from(list.querySelectorAll("a"));
    if (!links.length) return;
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown") i = Math.min(links.length - 1, i + 1);
    else if (i <= 0) { input.focus(); e.preventDefault(); return; } else i -= 1;
    links[i].focus();
    e.preventDefault();
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; search(q.trim()); }
  input.focus();
})();
