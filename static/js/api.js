// The only module that knows URLs: every call to the server goes through here.
import { serverText } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, body) {
    super(serverText(body) || `HTTP ${status}`); // in the page's language
    this.status = status;
    this.body = body;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A busy session (429) or a server busy with other training (503) says when to come back:
// wait that long (up to a few seconds) and try again, a few times, before giving up.
const RETRIES = 3, LONGEST_WAIT = 5;

async function call(method, path, body, token) {
  // writes always say JSON: the server refuses any other body (it is not a form to submit)
  const init = { method, headers: {} };
  if (token) init.headers.authorization = `Bearer ${token}`; // a class's teacher actions
  if (method !== "GET" && method !== "DELETE") init.headers["content-type"] = "application/json";
  if (body !== undefined) init.body = JSON.stringify(body);
  let r = await fetch(path, init);
  for (let i = 0; i < RETRIES && (r.status === 429 || r.status === 503); i++) {
    const wait = Number(r.headers.get("retry-after"));
    if (!(wait >= 0 && wait <= LONGEST_WAIT)) break;
    await sleep(wait * 1000);
    r = await fetch(path, init);
  }
  if (r.status === 204) return null;
  const data = await r.json();
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

const session = (id) => `/api/sessions/${encodeURIComponent(id)}`;
const klass = (code) => `/api/classes/${encodeURIComponent(code)}`;

export const api = {
  create: (config, grids = "all") => call("POST", `/api/sessions?grids=${grids}`, config),
  get: (id, grids = "all") => call("GET", `${session(id)}?grids=${grids}`),
  patch: (id, changes, grids = "all") => call("PATCH", `${session(id)}?grids=${grids}`, changes),
  step: (id, body) => call("POST", `${session(id)}/step`, body),
  // a session with this one's data, seed and initial weights and changes of its own (compare mode)
  twin: (id, changes, grids = "all") => call("POST", `${session(id)}/twin?grids=${grids}`, { changes }),
  reset: (id, seed) => call("POST", `${session(id)}/reset`, seed === undefined ? {} : { seed }),
  restore: (id, rate) => call("POST", `${session(id)}/restore`, rate === undefined ? {} : { learning_rate: rate }),
  // the timeline (issue 16): its recorded steps, one's frame, and continuing from one
  frames: (id) => call("GET", `${session(id)}/frames`),
  frameAt: (id, step, grids = "all") => call("GET", `${session(id)}/frames/${step}?grids=${grids}`),
  rewind: (id, body, grids = "all") => call("POST", `${session(id)}/rewind?grids=${grids}`, body),
  setWeight: (id, edit, grids = "all") => call("PUT", `${session(id)}/weights?grids=${grids}`, edit),
  example: (id, index, equations = false) => call("GET", `${session(id)}/examples/${index}?equations=${equations}`),
  neuron: (id, l, j, example) => call("GET", `${session(id)}/neurons/${l}/${j}?example=${example}`),
  // before: W[l][j, k] before the last updates (their number), to write the update out
  weight: (id, l, j, k, example, before, updates) => call("GET", `${session(id)}/weights/${l}/${j}/${k}?${
    new URLSearchParams(before === undefined ? { example } : { example, before, updates })}`),
  gradcheck: (id) => call("GET", `${session(id)}/gradcheck`),
  // issue 16: the next step without taking it; the loss over two weights W[l][j, k] ({l, j, k})
  preview: (id, body) => call("POST", `${session(id)}/preview`, body),
  landscape: (id, a, b) => call("GET", `${session(id)}/landscape?a=${a.l},${a.j},${a.k}&b=${b.l},${b.j},${b.k}`),
  batch: (id) => call("GET", `${session(id)}/batch`),
  vectorize: (id, data, repeats) => call("GET", `${session(id)}/vectorize?data=${data}&repeats=${repeats}`),
  putData: (id, points, grids = "all") => call("PUT", `${session(id)}/data?grids=${grids}`, points),
  importCsv: (id, csv, standardize = true, grids = "all") => call("POST", `${session(id)}/data/csv?grids=${grids}`, { csv, standardize }),
  importModel: (model, grids = "all") => call("POST", `/api/sessions/import?grids=${grids}`, model),
  remove: (id) => call("DELETE", session(id)),
  lessons: () => call("GET", "/api/lessons"),
  curve: (activation) => call("GET", `/api/activations/${activation}/curve`),
  circuit: (expression, values, expand) => call("POST", "/api/circuits", { expression, values, expand }),
  circuitPresets: () => call("GET", "/api/circuits/presets"),
  vectorPresets: () => call("GET", "/api/circuits/vectorized/presets"),
  vectorized: (kind, values) => call("POST", `/api/circuits/vectorized/${encodeURIComponent(kind)}`, values),
  notesTwoLayer: (body) => call("POST", "/api/notes/two-layer", body),
  datasets: (problem, classes) => call("GET", `/api/datasets/${problem}?classes=${classes}`),
  // Class mode (app/routes/classes.py). `token` is the teacher's, held by the page only.
  startClass: (id, lang) => call("POST", `${session(id)}/class${lang && lang !== "en" ? `?lang=${lang}` : ""}`),
  classState: (code) => call("GET", klass(code)),
  classEvents: (code) => `${klass(code)}/events`, // an EventSource's URL
  ask: (code, token, question) => call("POST", `${klass(code)}/questions`, question, token),
  answer: (code, qid, student, choice) => call("POST", `${klass(code)}/questions/${qid}/answers`, { student, choice }),
  reveal: (code, token, qid, body) => call("POST", `${klass(code)}/questions/${qid}/reveal`, body, token),
  setView: (code, token, view) => call("PUT", `${klass(code)}/view`, view, token),
  moveClass: (code, token, sessionId) => call("PUT", `${klass(code)}/session`, { session_id: sessionId }, token),
  endClass: (code, token) => call("DELETE", klass(code), undefined, token),
  explore: (code) => call("POST", `${klass(code)}/explore?grids=all`),
};
