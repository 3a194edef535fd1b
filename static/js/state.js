// The UI state and the URL: the only owner of both. The whole configuration and the view
// live in the query string, so a reload or a shared link gives the same session.

import { DEFAULT_SPEED } from "./speeds.js";

const VIEW_DEFAULTS = { speed: DEFAULT_SPEED, slow: false, showTest: false, discretize: false, projector: false, settings: true, lang: "en" };

export class State extends EventTarget {
  constructor(options) {
    super();
    this.options = options;
    this.defaults = options.defaults;
    this.config = structuredClone(options.defaults);
    this.view = { ...VIEW_DEFAULTS };
  }

  // Read config and view from location.search; unknown or malformed values keep defaults
  // (the server validates what is left).
  load(search = location.search) {
    const q = new URLSearchParams(search);
    for (const [key, def] of Object.entries(this.defaults)) {
      if (!q.has(key)) continue;
      const raw = q.get(key);
      if (key === "hidden") this.config.hidden = parseHidden(raw);
      else if (key === "features") this.config.features = raw ? raw.split(",") : [];
      else if (typeof def === "number") {
        const v = Number(raw);
        if (raw !== "" && Number.isFinite(v)) this.config[key] = v;
      } else this.config[key] = raw;
    }
    for (const [key, def] of Object.entries(VIEW_DEFAULTS)) {
      if (!q.has(key)) continue;
      this.view[key] = typeof def === "boolean" ? q.get(key) === "1" : q.get(key);
    }
    return this;
  }

  // Only what differs from the defaults goes into the URL: links stay short.
  toSearch() {
    const q = new URLSearchParams();
    for (const [key, def] of Object.entries(this.defaults)) {
      const v = this.config[key];
      if (key === "hidden") {
        const s = formatHidden(v);
        if (s !== formatHidden(def)) q.set(key, s);
      } else if (key === "features") {
        if (v.join(",") !== def.join(",")) q.set(key, v.join(","));
      } else if (v !== def) q.set(key, String(v));
    }
    for (const [key, def] of Object.entries(VIEW_DEFAULTS)) {
      const v = this.view[key];
      if (v !== def) q.set(key, typeof v === "boolean" ? (v ? "1" : "0") : String(v));
    }
    const s = q.toString();
    return s ? `?${s}` : "";
  }

  save() {
    const lesson = new URLSearchParams(location.search).get("lesson");
    let search = this.toSearch();
    if (lesson) search += `${search ? "&" : "?"}lesson=${encodeURIComponent(lesson)}`;
    history.replaceState(null, "", `${location.pathname}${search}`);
  }

  // Replace config fields with what the server says they are now.
  setConfig(config) {
    this.config = structuredClone(config);
    this.save();
  }

  setView(changes) {
    Object.assign(this.view, changes);
    this.save();
    this.dispatchEvent(new CustomEvent("view", { detail: changes }));
  }
}

export function parseHidden(raw) {
  if (!raw) return [];
  return raw.split(",").map((part) => {
    const [units, activation] = part.split(":");
    return { units: Number(units), activation: activation || "tanh" };
  });
}

export function formatHidden(hidden) {
  return hidden.map((h) => `${h.units}:${h.activation}`).join(",");
}
