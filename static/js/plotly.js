// plotly.js loads asynchronously (4.8 MB to compile): the network and the maps are drawn
// without waiting for it, and every Plotly call waits here until it is there.

export const plotlyReady = window.Plotly
  ? Promise.resolve(window.Plotly)
  : new Promise((resolve, reject) => {
    const tag = document.getElementById("plotly-js");
    tag.addEventListener("load", () => resolve(window.Plotly));
    tag.addEventListener("error", () => reject(new Error("plotly.js did not load")));
    if (window.Plotly) resolve(window.Plotly);
  });

// Run fn(Plotly) once plotly.js is there, in the order the calls were made.
export function withPlotly(fn) {
  return plotlyReady.then(fn);
}
