// The network page's wiring: the options and the state, the panels with their elements, the
// controllers that do the work (session, player, inspector, weight editor), the keys, start.
import { api } from "./api.js";
import { BatchPanel } from "./batchview.js";
import { NotesCodePanel } from "./notescode.js";
import { GradChart, LossChart } from "./charts.js";
import { Classroom } from "./classroom.js";
import { Controls } from "./controls.js";
import { Counters } from "./counters.js";
import { DivergenceNotice } from "./divergence.js";
import { Drawer } from "./drawer.js";
import { language, setLanguage, translatePage } from "./i18n.js";
import { Inspector } from "./inspector.js";
import { installLookahead } from "./lookahead.js"; // issue 16: preview, landscape
import { bindKeys } from "./keys.js";
import { applyBareLesson, openLesson } from "./lessonlink.js";
import { NetworkColumn } from "./netcolumn.js";
import { NetworkView } from "./network.js";
import { OutputPlot } from "./output.js";
import { OwnDataPanel } from "./owndata.js";
import { Phases } from "./phases.js";
import { Player } from "./player.js";
import { Session } from "./session.js";
import { State } from "./state.js";
import { Timeline } from "./timeline.js"; // issue 16: scrub, rewind and branch
import { KEYS, Lessons } from "./teaching.js";
import { installTestHook } from "./testhook.js";
import { Toggles } from "./toggles.js";
import { WeightEditor } from "./weighteditor.js";

const $ = (id) => document.getElementById(id);
const options = JSON.parse($("options").textContent);
const state = new State(options).load();
const adopt = new URLSearchParams(location.search).get("session"); // a student's own copy (explore.js)
await setLanguage(state.view.lang, options.messages);
state.view.lang = language; // a code that is no language (say "toString") is English

// Panels: each is handed its elements and announces what the user asks for.
const net = new NetworkView($("network"), options, {
  toggleFeature: (name) => session.toggleFeature(name),
  setUnits: (l, units) => session.setLayer(l, { units }),
  setActivation: (l, activation) => session.setLayer(l, { activation }),
  editWeight: (edit, e) => classroom.pickWeight(edit) || editor.open(edit, e),
  hoverNeuron: (l, j) => session.hoverNeuron(l, j),
  inspectNeuron: (l, j) => inspector.inspectNeuron(l, j),
});
const controls = new Controls(options, state, {
  change: (changes) => session.change(changes),
  regenerate: () => session.regenerate(),
  previews: (problem, classes) => api.datasets(problem, classes),
});
const output = new OutputPlot($("output-plot"), (i) => classroom.pickPoint(i) || inspector.inspect(i),
  (x, y, keys, oneD) => own.click(x, y, keys, oneD), () => own.drawing, options);
const charts = { loss: new LossChart($("loss-chart")), grad: new GradChart($("grad-chart")) };
const own = new OwnDataPanel($("own-data"), {
  session: () => session.current,
  send: (points) => session.changeData((id) => api.putData(id, points)),
  importCsv: (text, standardize) => session.changeData((id) => api.importCsv(id, text, standardize)),
  importModel: (model) => session.importModel(model),
  exportPng: () => Promise.all([output.exportPng(), charts.loss.exportPng("backprop-lab-loss")]),
  preview: (data) => output.setData(data, state.config, session.grid),
  pause: () => player.pause(),
  report: (e) => session.report(e),
}, options);
const phases = new Phases(net, { bar: $("phases"), caption: $("phase-caption"), next: $("next-phase"),
  mark: (i) => output.markExample(i) });
const lessons = new Lessons($("lessons"), $("lesson-bar"), language, (lesson) => openLesson(options, state, lesson,
  classroom.active && { session, player, toggles, lessons, speed: $("speed") })); // in a class: on this page
new Drawer($("inspector"), { topbar: document.querySelector(".topbar"), output: document.querySelector(".column.output") });
// a 409 offers going back (static/js/divergence.js); a bouncing loss, a hint
const divergence = new DivergenceNotice($("divergence"), {
  restore: (rate) => session.restore(rate),
  play: () => player.play(),
  setRate: (rate) => session.change({ learning_rate: rate }),
  rates: options.choices.learning_rate,
  rate: () => state.config.learning_rate,
});
const counters = new Counters({ step: $("step-count"), epoch: $("epoch-count"), lossTrain: $("loss-train"),
  lossTest: $("loss-test"), accTest: $("acc-test"), accRow: $("acc-row"), noTest: $("no-test") });

// Controllers: they do the work, in the session's one queue.
const session = new Session({ state, model: options.model_format, status: $("status"),
  panels: { divergence, controls, counters, net, output, own, charts },
  player: { playing: () => player.playing, play: () => player.play(), pause: () => player.pause() } });
new NetworkColumn({ session, maxLayers: options.limits.max_hidden_layers, elements: {
  count: $("layer-count"), add: $("add-layer"), remove: $("remove-layer"), shapes: $("shapes"),
  check: $("gradcheck"), result: $("gradcheck-result"), penalty: $("gradcheck-penalty") } });
// issue 13: the mini-batch as matrices, and loop vs vectorized; it follows the frames drawn
const batch = new BatchPanel({ panel: $("batch-panel"), root: $("batch-view"), api, session: () => session.current,
  maxExamples: options.limits.max_loop_examples, run: (task) => session.run(task) });
session.listen({ show: () => batch.syncChoices(), draw: (frame) => batch.update(frame) });
// issue 13: the notes' two-layer NumPy code, run by the server beside the core
new NotesCodePanel($("notes-code-panel"), { run: (body) => api.notesTwoLayer(body), limits: options.limits,
  open: new URLSearchParams(location.search).get("lesson") === "notes-two-layer", report: (e) => session.report(e) });
const player = new Player({ session, state, phases, counters, charts: [charts.loss, charts.grad],
  buttons: { play: $("play"), step: $("step"), epoch: $("epoch"), next: $("next-phase") }, canPlay: () => !own.cleared });
const inspector = new Inspector({ session, net, phases, playing: () => player.playing,
  elements: { drawer: $("inspector"), title: $("inspector-title"), body: $("inspector-body"), close: $("inspector-close") } });
const editor = new WeightEditor({ session, inspector,
  elements: { form: $("weight-editor"), label: $("weight-editor-label"), input: $("weight-editor-input") } });
const toggles = new Toggles({ state, session, output, elements: {
  projector: $("projector"), settings: $("settings"), help: $("help"), helpOverlay: $("help-overlay"),
  helpClose: $("help-close"), circuit: $("to-circuit"), language: $("language"), slow: $("slow"),
  showTest: $("show-test"), discretize: $("discretize") } });
// issue 14: class mode, the teacher's side (students: student.js)
const classroom = new Classroom({ session, state, player, net, output, lesson: () => lessons.current(), limits: options.limits,
  elements: { start: $("start-class"), panel: $("class-panel"), topbar: document.querySelector(".topbar"), phases: $("phases") } });
// issue 12.9: the keyboard is the table in teaching.js (KEYS); these are its actions
const keys = bindKeys({ rows: KEYS(), list: $("help-keys"), actions: {
  play: () => player.toggle(), step: () => player.stepOnce("batch"), phase: () => phases.next(),
  reset: () => session.reset(), projector: () => toggles.setProjector(!state.view.projector),
  settings: () => toggles.showSettings(!state.view.settings), lessons: () => lessons.open(), help: () => toggles.toggleHelp(),
  close: () => { toggles.closeHelp(); inspector.close(); }, qr: () => classroom.toggleQr(),
  ...new Timeline({ root: $("timeline"), session, player, charts, rates: options.choices.learning_rate }).actions,
  ...installLookahead({ session, player, inspector, net, output, charts }),
} });
$("reset").addEventListener("click", () => session.reset());
let resizing = null; // the diagram laid out again once the window has settled
window.addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(() => session.relayout(), 150); });
installTestHook({ session, inspector, phases, net, output, keys });

async function start() {
  translatePage();
  toggles.start();
  controls.build();
  own.build();
  const q = new URLSearchParams(location.search);
  const list = api.lessons();
  list.then((l) => lessons.show(l, q.get("lesson"))).catch((e) => session.report(e));
  await applyBareLesson(state, list);
  toggles.startSwitches();
  await (adopt ? session.adopt(adopt) : session.open(state.config));
  document.body.dataset.ready = "1";
  session.readyAt = performance.now(); // first meaningful paint: controls, network, maps drawn
}

start().catch((e) => session.report(e));
