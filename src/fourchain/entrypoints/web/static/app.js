// fourchain pages: draw every [data-chart] with ECharts (data from the server, no inline script).
(function () {
  "use strict";
  var charts = [];

  function optionFor(spec) {
    var horizontal = !!spec.horizontal;
    // Every category label shown (interval 0), turned when there are many, never skipped.
    var turn = !horizontal && spec.x.length > 6;
    var category = {
      type: "category", data: spec.x,
      axisLabel: { interval: 0, rotate: turn ? 35 : 0, hideOverlap: false }
    };
    var value = { type: "value", minInterval: spec.integer ? 1 : 0 };
    // A plain legend wraps onto more lines instead of paging series out of sight.
    var legendRows = Math.ceil(spec.series.length / 4);
    return {
      animation: false,
      // Canvas text does not follow CSS: hand it the page's font stack (CJK fallback included).
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: { trigger: "axis" },
      legend: { type: "plain", top: 0 },
      // Room for the axis labels: ECharts 6 no longer grows the grid to fit them.
      grid: {
        left: horizontal ? 120 : 64, right: 24, top: 16 + 24 * legendRows, bottom: turn ? 72 : 32
      },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.type || "line", data: s.data, connectNulls: true };
      })
    };
  }

  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    var nodes = (root || document).querySelectorAll("[data-chart]:not([data-drawn])");
    nodes.forEach(function (node) {
      var spec = JSON.parse(node.getAttribute("data-chart"));
      var chart = echarts.init(node, null, { renderer: "canvas" });
      chart.on("finished", function () { node.setAttribute("data-rendered", "true"); });
      chart.setOption(optionFor(spec));
      node.setAttribute("data-drawn", "true");
      charts.push(chart);
    });
  }

  function whenFontsReady(then) {
    // Draw after the web font (if any) has loaded, or the canvas keeps the fallback glyphs.
    // `ready` alone resolves before a font nothing has asked for yet: ask for the CJK one.
    if (document.fonts && document.fonts.load) {
      document.fonts.load('12px "Noto Sans SC Vendored"', "指标").then(then, then);
    } else {
      then();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    whenFontsReady(function () { draw(document); });
  });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });

  // htmx swaps nothing on an error answer: say so where the content was to go, rather than
  // leave a "loading…" placeholder up for good.
  function failed(event, what) {
    var target = event.detail && event.detail.target;
    if (!target) { return; }
    var note = document.createElement("p");
    note.className = "note error";
    note.setAttribute("role", "alert");
    note.textContent = "加载失败（" + what + "），请刷新重试 · Could not load (" + what + "); reload to try again";
    target.replaceChildren(note);
  }
  document.addEventListener("htmx:responseError", function (event) {
    failed(event, "HTTP " + event.detail.xhr.status);
  });
  document.addEventListener("htmx:sendError", function (event) { failed(event, "network"); });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();

// The header's menu: folded behind its summary on a phone, open on a wide screen.
(function () {
  "use strict";
  var menu = document.querySelector("details.menu");
  if (!menu || !window.matchMedia) { return; }
  var narrow = window.matchMedia("(max-width: 760px)");
  function fit() { menu.open = !narrow.matches; }
  fit();
  if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
})();

// A table or box that scrolls sideways (on a phone) can be scrolled with the keyboard too.
(function () {
  "use strict";
  function mark(root) {
    (root || document).querySelectorAll("main table, main .scroll").forEach(function (node) {
      if (node.scrollWidth > node.clientWidth + 1) {
        if (!node.hasAttribute("tabindex")) { node.setAttribute("tabindex", "0"); }
      } else if (node.getAttribute("tabindex") === "0") {
        node.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { mark(document); });
  document.addEventListener("htmx:afterSwap", function () { mark(document); });
  window.addEventListener("resize", function () { mark(document); });
})();
