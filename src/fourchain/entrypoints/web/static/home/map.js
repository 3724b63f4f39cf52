// fourchain dashboard: the city's districts coloured by an indicator, from our own GeoJSON.
(function () {
  "use strict";
  var registered = {};

  function byFeature(geo, values, selected) {
    // The registry may say 思明 where the boundary file says 思明区: match on the name's start.
    // The district the dashboard is filtered to (if any) is drawn selected.
    return geo.features.map(function (feature) {
      var name = feature.properties.name;
      var found = values.filter(function (v) { return name.indexOf(v.name) === 0; })[0];
      var item = { name: name, value: found ? found.value : 0 };
      if (selected && name.indexOf(selected) === 0) { item.selected = true; }
      return item;
    });
  }

  function draw(node) {
    var spec = JSON.parse(node.getAttribute("data-map"));
    var url = node.getAttribute("data-geo");
    fetch(url, { credentials: "same-origin" })
      .then(function (answer) { return answer.json(); })
      .then(function (geo) {
        if (!registered[url]) { echarts.registerMap(url, geo); registered[url] = true; }
        var data = byFeature(geo, spec.values, spec.selected);
        var top = Math.max.apply(null, data.map(function (d) { return d.value; }).concat([1]));
        var chart = echarts.init(node, null, { renderer: "canvas" });
        chart.on("finished", function () { node.setAttribute("data-rendered", "true"); });
        chart.setOption({
          animation: false,
          textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
          tooltip: { trigger: "item", formatter: "{b}: {c}" },
          visualMap: {
            min: 0, max: top, left: 8, bottom: 8, calculable: false,
            text: [String(top), "0"], inRange: { color: ["#e8f0fa", "#1d4e89"] }
          },
          series: [{
            name: spec.name, type: "map", map: url, roam: false, data: data,
            selectedMode: spec.selected ? "single" : false,
            label: { show: true, fontSize: 12, color: "#1f2933" },
            emphasis: { label: { show: true } }
          }]
        });
        window.addEventListener("resize", function () { chart.resize(); });
      });
    node.setAttribute("data-drawn", "true");
  }

  function start() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-map]:not([data-drawn])").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (document.fonts && document.fonts.load) {
      document.fonts.load('12px "Noto Sans SC Vendored"', "思明").then(start, start);
    } else {
      start();
    }
  });
})();
