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
        // Canvas text ignores CSS: name the page's font stack (the vendored CJK font
        // included), or labels are empty boxes on a machine without a CJK font.
        textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
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
  function whenFontReady(then) {
    // The vendored font loads only once text needs it: ask for it, then draw.
    if (document.fonts && document.fonts.load) {
      document.fonts.load('12px "Noto Sans SC Vendored"', "孵化").then(then, then);
    } else {
      then();
    }
  }
  document.addEventListener("DOMContentLoaded", function () { whenFontReady(function () { draw(document); }); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
