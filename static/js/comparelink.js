// The way to the comparison page (/compare, compare.js) from the network page: its "Compare"
// link opens the current settings (the network page's URL holds them all) as run A against one
// change in run B, and a comparison lesson of the lesson menu opens there (lessonlink.js).
// Loaded by templates/index.html as a module of its own: main.js needs no line for it.

// A comparison lesson's address: the room's projector mode and language kept.
export function compareLessonHref(lesson, view) {
  const q = new URLSearchParams({ lesson: lesson.id });
  if (view.projector) q.set("projector", "1");
  if (view.lang && view.lang !== "en") q.set("lang", view.lang);
  return `/compare?${q}`;
}

// The network page's settings as the comparison's shared ones, at the moment of the click.
export function compareHref(search = location.search) {
  const q = new URLSearchParams(search);
  for (const key of ["lesson", "session", "settings", "slow", "showTest", "discretize"]) q.delete(key);
  const s = q.toString();
  return `/compare${s ? `?${s}` : ""}`;
}

const link = document.getElementById("to-compare");
if (link) {
  const follow = () => { link.href = compareHref(); };
  link.addEventListener("pointerdown", follow);
  link.addEventListener("focus", follow);
  link.addEventListener("click", follow);
}
