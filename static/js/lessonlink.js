// A lesson is a link: its configuration and view in the URL, loaded afresh. Projector mode and
// the language are the room's, not the lesson's: every lesson keeps them.
import { api } from "./api.js";
import { compareLessonHref } from "./comparelink.js";
import { State } from "./state.js";

// The page's state for a lesson: its configuration and view, the room's projector mode,
// settings row and language.
function lessonState(options, state, lesson) {
  const next = new State(options);
  Object.assign(next.config, lesson.config);
  Object.assign(next.view, lesson.view, { projector: state.view.projector, settings: state.view.settings, lang: state.view.lang });
  return next;
}

function lessonSearch(next, lesson) {
  const q = new URLSearchParams(next.toSearch().slice(1));
  q.set("lesson", lesson.id);
  return q.toString();
}

// Go to the lesson's link; in a class (here: { session, player, toggles, lessons, speed }),
// open it on this page.
export function openLesson(options, state, lesson, here = null) {
  if (lesson.compare) { location.href = compareLessonHref(lesson, state.view); return; } // two runs: /compare
  if (here) return openLessonHere({ options, state, ...here }, lesson);
  location.search = lessonSearch(lessonState(options, state, lesson), lesson);
}

// A bare lesson link (?lesson=id, typed or shared by hand) sets up the lesson's network; a
// link with settings of its own keeps them. lessons: the promise of /api/lessons.
export async function applyBareLesson(state, lessons, search = location.search) {
  const q = new URLSearchParams(search);
  if (!q.has("lesson") || [...q.keys()].some((k) => Object.hasOwn(state.defaults, k))) return;
  const lesson = (await lessons.catch(() => [])).find((x) => x.id === q.get("lesson"));
  if (lesson?.compare) { // two runs: the comparison page, and nothing more here
    location.replace(compareLessonHref(lesson, state.view));
    await new Promise(() => {});
  }
  if (lesson) {
    Object.assign(state.config, lesson.config);
    Object.assign(state.view, lesson.view, { projector: state.view.projector, lang: state.view.lang });
  }
}

// In a class the page stays (a reload would lose the class's teacher token, which only this
// page holds): the lesson's configuration becomes a new session here, its link the address,
// its view the page's, its caption the lesson bar's. The class follows the new session
// (classroom.js).
function openLessonHere({ options, state, session, player, toggles, lessons, speed }, lesson) {
  player.pause();
  const next = lessonState(options, state, lesson);
  history.replaceState(null, "", `${location.pathname}?${lessonSearch(next, lesson)}`);
  state.setView(next.view);
  speed.value = state.view.speed;
  toggles.startSwitches();
  lessons.mark(lesson);
  return session.run(async () => {
    const old = session.id;
    await session.open(next.config);
    if (old && old !== session.id) api.remove(old).catch(() => {});
    window.dispatchEvent(new Event("resize")); // the lesson bar took its height
  });
}
