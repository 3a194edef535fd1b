// A student's page of a class (/join/{code}): its wiring. It follows the class's event stream
// (classstream.js) into the read-only view of the teacher's network (follow.js), shows the
// teacher's questions on an answer card (answercard.js), runs the lab on a copy of its own
// (explore.js), and says when the stream is reconnecting and when the class has ended. The
// language is the URL's (the join address carries the teacher's), else English.
import { api } from "./api.js";
import { AnswerCard } from "./answercard.js";
import { ClassStream } from "./classstream.js";
import { Counters } from "./counters.js";
import { Explore } from "./explore.js";
import { FollowView } from "./follow.js";
import { language, setLanguage, t, translatePage } from "./i18n.js";
import { LossChart } from "./minichart.js";
import { MapView } from "./mapview.js";
import { NetworkView } from "./network.js";

const $ = (id) => document.getElementById(id);
const options = JSON.parse($("options").textContent);
const { code, found } = JSON.parse($("class").textContent);
await setLanguage(new URLSearchParams(location.search).get("lang"), options.messages);
translatePage();
document.title = `${t("Class {code}", { code })} · Backprop Lab`;

$("join-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const typed = $("join-code").value.trim();
  if (typed) location.href = `/join/${encodeURIComponent(typed)}${location.search}`;
});

const connection = $("connection");
const say = (text) => { connection.textContent = text; connection.hidden = !text; };

function ended() {
  $("student").hidden = true;
  $("ended").hidden = false;
  say("");
}

if (found) {
  const net = new NetworkView($("network"), options); // no intents: read-only
  const map = new MapView($("output-map"), options);
  const counters = new Counters({ step: $("step-count"), epoch: $("epoch-count"), lossTrain: $("loss-train"),
    lossTest: $("loss-test"), accTest: $("acc-test"), accRow: $("acc-row"), noTest: $("no-test") });
  const follow = new FollowView({ panels: { net, map, counters, chart: new LossChart($("loss-chart")) },
    elements: { phases: $("phase-row"), caption: $("phase-caption"), lessonBar: $("lesson-bar") },
    lessons: api.lessons(), lang: language });
  const card = new AnswerCard($("answer-card"), { code, mark: (q) => {
    net.markEdge(q?.kind === "weight" ? q.target : null);
    map.mark(q?.kind === "point" ? q.target.index : null);
  } });
  const explore = new Explore({ code, lang: language, paused: (on) => follow.pause(on), report: say, elements: {
    start: $("explore"), back: $("back"), root: $("exploring"), frame: $("explore-frame"), note: $("explore-note"),
    following: $("following") } });
  const question = (q) => {
    card.show(q);
    explore.announce(q);
    if (q.state === "open" && !explore.exploring) $("answer-card").scrollIntoView({ block: "nearest" });
  };
  new ClassStream(code, {
    setup: (d) => follow.setup(d),
    frame: (f) => follow.frame(f),
    view: (v) => follow.view(v),
    question,
    reveal: question,
    end: () => { explore.back(); ended(); },
  }, (state) => {
    if (state === "ended") ended();
    else say(state === "reconnecting" ? t("Reconnecting…") : "");
  });
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => follow.relayout(), 150);
  });
}
document.body.dataset.ready = "1";
