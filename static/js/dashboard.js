/* Dashboards: draw the trend chart from the figures the page carries.
 *
 * Plain JavaScript over the vendored Chart.js; the figures come from a
 * json_script element, and the same figures are in the table under the chart,
 * so the page reads fine without JavaScript.
 */
(function () {
  "use strict";

  // One colour per service category, in the catalogue's order.
  var COLOURS = {
    identity: "#0b4f8a",
    public_service: "#2a9d8f",
    cashless: "#e9a23b",
    commerce: "#8e5ea2",
    safety: "#d1495b",
    basics: "#6c8ead",
    other: "#9aa5b1"
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var locale = document.documentElement.lang || "vi";
    var datasets = data.categories.map(function (category) {
      return {
        type: "bar",
        label: category.label,
        data: category.data,
        backgroundColor: COLOURS[category.key] || COLOURS.other,
        stack: "services"
      };
    });
    datasets.push({
      type: "line",
      label: data.sessions.label,
      data: data.sessions.data,
      borderColor: "#1a1f24",
      backgroundColor: "#1a1f24",
      pointRadius: 2,
      tension: 0,
      order: -1
    });
    new Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        locale: locale,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: {
          legend: {
            position: "bottom",
            labels: { boxWidth: 10, font: { size: 11 } }
          }
        }
      }
    });
    canvas.dataset.drawn = "true";
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  // A printed page is narrower than the screen: redraw the charts to its size.
  function resizeCharts() {
    Object.values(Chart.instances).forEach(function (chart) { chart.resize(); });
  }
  if (typeof Chart !== "undefined") {
    window.addEventListener("beforeprint", resizeCharts);
    window.addEventListener("afterprint", resizeCharts);
  }
})();
