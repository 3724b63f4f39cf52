// Open collaboration: the world map of partners by country (self-hosted boundaries, keyed by
// ISO 3166 alpha-2) and the membership graph of the networks and programmes (ECharts).
(function () {
  "use strict";
  var charts = [];

  function font() { return getComputedStyle(document.body).fontFamily; }

  function drawMap(node) {
    var spec = JSON.parse(node.getAttribute("data-world"));
    fetch(spec.geo).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("world-iso", geo);
      var names = {};
      geo.features.forEach(function (f) { names[f.properties.iso_a2] = f.properties.name; });
      var max = 1;
      spec.series.forEach(function (s) { max = Math.max(max, s.value); });
      var chart = echarts.init(node, null, { renderer: "canvas" });
      chart.on("finished", function () { node.setAttribute("data-rendered", "true"); });
      chart.setOption({
        animation: false,
        textStyle: { fontFamily: font() },
        tooltip: { trigger: "item" },
        visualMap: { min: 0, max: max, left: 8, bottom: 8, calculable: true },
        series: [{
          type: "map", map: "world-iso", nameProperty: "iso_a2", roam: true,
          data: spec.series.map(function (s) { return { name: s.code, value: s.value }; }),
          tooltip: { formatter: function (p) { return (names[p.name] || p.name) + ": " + (isNaN(p.value) ? 0 : p.value); } }
        }]
      });
      charts.push(chart);
    });
  }

  function drawGraph(node) {
    var spec = JSON.parse(node.getAttribute("data-graph"));
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.on("finished", function () { node.setAttribute("data-rendered", "true"); });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: font() },
      tooltip: {},
      legend: { data: ["network", "partner"], show: false },
      series: [{
        type: "graph", layout: "force", roam: true,
        force: { repulsion: 60, edgeLength: 40 },
        categories: [{ name: "network" }, { name: "partner" }],
        label: { show: false },
        data: spec.nodes.map(function (n) {
          return {
            id: n.id, name: n.name, category: n.kind === "network" ? 0 : 1,
            symbolSize: n.kind === "network" ? 28 : 8,
            label: { show: n.kind === "network" }
          };
        }),
        links: spec.edges
      }]
    });
    charts.push(chart);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    var map = document.getElementById("world-map");
    if (map) { drawMap(map); }
    var graph = document.getElementById("network-graph");
    if (graph) { drawGraph(graph); }
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
