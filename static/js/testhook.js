// window.backpropLab: what tests (and a curious teacher at the console) may read of the page.
// Read-only: every member returns a copy or a measurement; none changes the page's state, and
// the object itself is frozen. Kept small and stable; anything a user sees is better read off
// the page itself (the counters' text, the inspector's equations).
//
//   frame()            a copy of the frame drawn: {step, epoch, loss, accuracy, layers, grid, ...}
//   config()           a copy of the session's configuration, as the server holds it
//   sessionId()        the session's id on the server
//   data()             a copy of the session's data: {train: {X, y}, test: {X, y}, own, scaling}
//   idle()             a promise that resolves once the request queue is empty and the
//                      inspector's refresh (outside the queue) has come back (while playing,
//                      that is after Pause)
//   inspected()        {index, step} of the example whose numbers the inspector holds, or null
//   phasesRunning()    true while slow motion plays (or walks through) a step's phases
//   edgePoint(l, j, k) {x, y, width, stroke}: client coordinates of the middle of the edge into
//                      neuron j of layer l from unit k of layer l - 1, its width and colour
//   neuronPoint(l, j)  {x, y}: client coordinates of the centre of neuron j of layer l (layer 0
//                      is the features)
//   pointAt(i)         {x, y}: client coordinates of training point i on the output plot
//   outputPixel(x1, x2) [r, g, b] the output map shows at data coordinates (x1, x2), read from
//                      its canvas; null off the map
//   keys()             the keyboard table: [[key, what it does], ...], the rows the handler uses
//   draws()            how many frames the page has drawn (bench/bench_page.py counts them)
//   readyAt()          performance.now() when the first session was drawn (first paint)
//
// Layers count from 1, neurons j and units k from 0, as in the network's W[l][j][k].

export function installTestHook({ session, inspector, phases, net, output, keys }) {
  const copy = (v) => (v === undefined ? null : structuredClone(v));
  const centre = (e) => {
    const b = e.getBoundingClientRect();
    return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
  };
  window.backpropLab = Object.freeze({
    frame: () => copy(session.frame),
    config: () => copy(session.config),
    sessionId: () => session.id ?? null,
    data: () => copy(session.data),
    idle: async () => {
      let tail;
      do { tail = session.queue; await tail; await inspector.refreshing; } while (tail !== session.queue);
    },
    inspected: () => (inspector.record ? { index: inspector.record.index, step: inspector.step } : null),
    phasesRunning: () => phases.running,
    edgePoint: (l, j, k) => net.edgePoint(l, j, k),
    neuronPoint: (l, j) => centre(net.neurons[l][j].box),
    pointAt: (i) => output.pointAt(i),
    outputPixel: (x1, x2) => output.pixelAt(x1, x2),
    keys: () => keys.rows.map((r) => [r.label, r.help]),
    draws: () => session.draws,
    readyAt: () => session.readyAt ?? null,
  });
}
