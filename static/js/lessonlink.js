// A lesson is a link: its configuration and view in the URL, loaded afresh. Projector mode and
// the language are the room's, not the lesson's: every lesson keeps them.
import { State } from "./state.js";

// Go to the lesson's link.
export function openLesson(options, state, lesson) {
  const next = new State(options);
  Object.assign(next.config, lesson.config);
  Object.assign(next.view, lesson.view, { projector: state.view.projector, settings: state.view.settings, lang: state.view.lang });
  const q = new URLSearchParams(next.toSearch().slice(1));
  q.set("lesson", lesson.id);
  location.search = q.toString();
}

// A bare lesson link (?lesson=id, typed or shared by hand) sets up the lesson's network; a
// link with settings of its own keeps them. lessons: the promise of /api/lessons.
export async function applyBareLesson(state, lessons, search = location.search) {
  const q = new URLSearchParams(search);
  if (!q.has("lesson") || [...q.keys()].some((k) => Object.hasOwn(state.defaults, k))) return;
  const lesson = (await lessons.catch(() => [])).find((x) => x.id === q.get("lesson"));
  if (lesson) {
    Object.assign(state.config, lesson.config);
    Object.assign(state.view, lesson.view, { projector: state.view.projector, lang: state.view.lang });
  }
}
