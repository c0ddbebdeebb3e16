(function () {
  "use strict";
  var KEY = "loadforge-theme";
  var COLORS = {
    light: { font: "#1f2937", grid: "#e5e7eb" },
    dark: { font: "#e5e7eb", grid: "#374151" }
  };
  var CONFIG = {{ plot_config | script_json }};

  function currentTheme() {
    return document.documentElement.getAttribute("data-theme") === "dark" ? "dark" : "light";
  }

  function themeUpdate(layout, theme) {
    var update = { "font.color": COLORS[theme].font };
    Object.keys(layout || {}).forEach(function (key) {
      if (/^[xy]axis[0-9]*$/.test(key)) { update[key + ".gridcolor"] = COLORS[theme].grid; }
    });
    return update;
  }

  function charts() { return Array.prototype.slice.call(document.querySelectorAll(".chart")); }

  function drawAll() {
    var theme = currentTheme();
    charts().forEach(function (div) {
      if (typeof Plotly === "undefined") {
        div.innerHTML = '<p class="chart-missing">This chart needs plotly.js, which could not be' +
          " loaded. Open the report with network access, or rebuild it with --plotly inline.</p>";
        return;
      }
      var figure = JSON.parse(document.getElementById(div.getAttribute("data-figure")).textContent);
      Plotly.newPlot(div, figure.data, figure.layout, CONFIG).then(function () {
        return Plotly.relayout(div, themeUpdate(div.layout, theme));
      }).then(function () { div.setAttribute("data-drawn", "true"); });
    });
  }

  function setTheme(theme) {
    document.documentElement.setAttribute("data-theme", theme);
    try { window.localStorage.setItem(KEY, theme); } catch (e) { /* storage may be off */ }
    var button = document.getElementById("theme-toggle");
    if (button) { button.textContent = theme === "dark" ? "☀ Light mode" : "☾ Dark mode"; }
    if (typeof Plotly !== "undefined") {
      charts().forEach(function (div) {
        if (div.getAttribute("data-drawn")) { Plotly.relayout(div, themeUpdate(div.layout, theme)); }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setTheme(currentTheme());
    document.getElementById("theme-toggle").addEventListener("click", function () {
      setTheme(currentTheme() === "dark" ? "light" : "dark");
    });
    drawAll();
  });
})();
