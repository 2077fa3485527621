// actorgraph network page: draws the JSON in #graph-data with vis-network; all text goes in via textContent.
// Deep links: #q=NAME searches on load; #claim=ID shows the evidence of that claim.
window.actorgraphStart = function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var byId = {}, edgeById = {}, edgeByClaim = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    e.evidence.forEach(function (ev) { edgeByClaim[ev.claim] = e.id; });
  });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function colour(type) { return data.colours[type] || "#9c9c9c"; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  document.getElementById("title").textContent = data.title;
  document.title = data.title;

  var names = document.getElementById("names");
  data.nodes.forEach(function (n) {
    var option = document.createElement("option");
    option.value = n.name;
    names.appendChild(option);
  });

  // Legend: the node types present (colour, count) and the predicates drawn (claims behind them).
  var typeCounts = {}, predicateCounts = {};
  data.nodes.forEach(function (n) { typeCounts[n.type] = (typeCounts[n.type] || 0) + 1; });
  data.edges.forEach(function (e) {
    predicateCounts[e.predicate] = (predicateCounts[e.predicate] || 0) + e.evidence.length;
  });
  var legendTypes = document.getElementById("legend-types");
  Object.keys(data.typeNames).forEach(function (t) {
    if (!typeCounts[t]) { return; }
    var li = el("li"), swatch = el("span", null, "swatch");
    swatch.style.background = colour(t);
    li.appendChild(swatch);
    li.appendChild(el("span", data.typeNames[t] + " "));
    li.appendChild(el("span", typeCounts[t], "count"));
    legendTypes.appendChild(li);
  });
  var legendPredicates = document.getElementById("legend-predicates");
  Object.keys(predicateCounts).sort().forEach(function (p) {
    var li = el("li");
    li.appendChild(el("span", "\u2192 " + p + " "));
    li.appendChild(el("span", plural(predicateCounts[p], "claim"), "count"));
    legendPredicates.appendChild(li);
  });
  var claims = data.edges.reduce(function (s, e) { return s + e.evidence.length; }, 0);
  document.getElementById("stats").textContent = plural(data.nodes.length, "node") + ", " +
    plural(data.edges.length, "edge") + ", " + plural(claims, "claim") +
    (data.truncated ? " (limited: pass --limit to draw more)" : "");

  // The evidence panel: an edge's sentences with their sources, or an actor's details.
  var info = document.getElementById("info");
  var pinned = null;
  function hint() {
    clear(info);
    info.appendChild(el("p", data.nodes.length ?
      "Hover over or click an edge to read its evidence; click an actor for its details." :
      "No claims to draw.", "note"));
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    clear(info);
    info.setAttribute("data-edge", id);
    var head = byId[e.source].name + " \u2014" + e.predicate + "\u2192 " + byId[e.target].name;
    info.appendChild(el("div", head, "edge-title"));
    if (e.denied) { info.appendChild(el("div", "denied by the subject", "denied")); }
    e.evidence.forEach(function (ev) {
      info.appendChild(el("blockquote", ev.sentence));
      var where = [ev.title, ev.source, ev.published].filter(function (x) { return x; }).join(" \u00b7 ");
      var confidence = ev.confidence === null ? "" : " \u00b7 confidence " + Number(ev.confidence).toFixed(2);
      info.appendChild(el("div", "source: " + (where || ev.doc_id) + confidence, "source"));
      if (ev.review) { info.appendChild(el("div", ev.review + " by a reviewer", "review " + ev.review)); }
    });
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) { return; }
    clear(info);
    info.removeAttribute("data-edge");
    info.appendChild(el("div", n.name, "edge-title"));
    var kind = data.typeNames[n.type] || n.type;
    info.appendChild(el("div", kind + " \u00b7 " + plural(n.mentions, "mention"), "source"));
    if (n.aliases.length) { info.appendChild(el("div", "also: " + n.aliases.join("; "), "source")); }
    var list = el("ul");
    data.edges.forEach(function (e) {
      if (e.source !== id && e.target !== id) { return; }
      var other = byId[e.source === id ? e.target : e.source];
      var arrow = e.symmetric ? "\u2194 " : e.source === id ? "\u2192 " : "\u2190 ";
      var li = el("li", arrow + e.predicate + " " + other.name + (e.denied ? " (denied)" : "") +
        (e.evidence.length > 1 ? " (" + e.evidence.length + " claims)" : ""), "link");
      li.addEventListener("click", function () { pin(e.id); });
      list.appendChild(li);
    });
    info.appendChild(list);
  }
  hint();

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var c = colour(n.type);
    return {
      id: n.id, label: n.name, value: Math.max(1, n.mentions), shape: n.type === "CHARGE" ? "diamond" : "dot",
      color: { background: c, border: "#ffffff", highlight: { background: c, border: "#222222" },
               hover: { background: c, border: "#222222" } },
      borderWidth: 2, font: { size: 14, strokeWidth: 3, strokeColor: "#ffffff" }
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return {
      id: e.id, from: e.source, to: e.target, arrows: e.symmetric ? "" : "to", dashes: e.denied,
      label: e.predicate + (e.evidence.length > 1 ? " \u00d7" + e.evidence.length : "") +
        (e.confirmed ? " \u2713" : ""),
      width: Math.min(1 + e.evidence.length, 6),
      color: { color: "#8a8a8a", highlight: "#222222", hover: "#222222" },
      font: { size: 10, align: "middle", color: "#444444", strokeWidth: 3, strokeColor: "#ffffff" }
    };
  }));
  var options = {
    nodes: { scaling: { min: 8, max: 36, label: { enabled: true, min: 12, max: 18 } } },
    edges: { smooth: { type: "dynamic" } },
    layout: { randomSeed: 7 },  // the same graph is drawn the same way every time
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 120 },
      stabilization: { iterations: 300, fit: true }
    },
    interaction: { hover: true, tooltipDelay: 150, multiselect: true }
  };
  var network = new vis.Network(document.getElementById("network"), { nodes: nodes, edges: edges }, options);
  function pin(edgeId) {
    pinned = edgeId;
    network.selectEdges([edgeId]);
    showEdge(edgeId);
  }
  network.on("hoverEdge", function (p) { showEdge(p.edge); });
  network.on("blurEdge", function () { if (pinned) { showEdge(pinned); } });
  network.on("hoverNode", function (p) { if (!pinned) { showNode(p.node); } });
  network.on("click", function (p) {
    if (p.nodes.length) { pinned = null; showNode(p.nodes[0]); }
    else if (p.edges.length) { pin(p.edges[0]); }
    else { pinned = null; hint(); }
  });

  // Search: by name or alias, case-insensitively; Enter (or a single match) focuses the first match.
  var search = document.getElementById("search"), status = document.getElementById("search-status");
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    return data.nodes.filter(function (n) {
      return n.name.toLowerCase().indexOf(q) >= 0 ||
        n.aliases.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; });
    });
  }
  function find(focus) {
    var found = matches(search.value);
    var said = !found.length ? "no match" : found.length === 1 ? "1 match" : found.length + " matches";
    status.textContent = search.value.trim() ? said : "";
    status.setAttribute("data-matches", String(found.length));
    network.selectNodes(found.map(function (n) { return n.id; }));
    if (found.length && focus) {
      pinned = null;
      network.focus(found[0].id, { scale: 1.2, animation: { duration: 400 } });
      showNode(found[0].id);
    }
    return found.length;
  }
  search.addEventListener("input", function () { find(matches(search.value).length === 1); });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(true); } });

  function deepLink() {
    var hash = decodeURIComponent(window.location.hash.slice(1));
    if (hash.indexOf("q=") === 0) { search.value = hash.slice(2); find(true); }
    else if (hash.indexOf("claim=") === 0 && edgeByClaim[hash.slice(6)]) { pin(edgeByClaim[hash.slice(6)]); }
  }
  function drawn() {
    deepLink();
    var root = document.documentElement;
    root.setAttribute("data-drawn-nodes", String(Object.keys(network.getPositions()).length));
    root.setAttribute("data-drawn-edges", String(edges.length));
  }
  if (!data.nodes.length) { drawn(); return; }
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    network.once("afterDrawing", drawn);
    network.redraw();
  });
};
