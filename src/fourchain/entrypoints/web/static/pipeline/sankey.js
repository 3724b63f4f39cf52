// fourchain pipeline: draw every [data-sankey] (nodes and links from the server) with ECharts.
(function () {
  "use strict";
  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    (root || document).querySelectorAll("[data-sankey]:not([data-drawn])").forEach(function (node) {
      var spec = JSON.parse(node.getAttribute("data-sankey"));
      var chart = echarts.init(node, null, { renderer: "canvas" });
      chart.on("finished", function () { node.setAttribute("data-rendered", "true"); });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "item" },
        series: [{
          type: "sankey", data: spec.nodes, links: spec.links, nodeAlign: "left",
          emphasis: { focus: "adjacency" }, lineStyle: { color: "gradient", opacity: 0.4 },
          label: { fontSize: 12 }
        }]
      });
      node.setAttribute("data-drawn", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
