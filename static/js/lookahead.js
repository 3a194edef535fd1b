// Issue 16's two looks ahead of training, wired to the page's panels: "Preview next step"
// (preview.js) under the output plot, and the "Loss landscape" over two picked weights
// (landscape.js) under the network. Returns their key actions (the KEYS table, teaching.js).
import { LandscapePanel } from "./landscape.js";
import { Preview } from "./preview.js";

export function installLookahead({ session, player, inspector, net, output, charts }) {
  const playing = () => player.playing;
  const preview = new Preview({ session, playing, pause: () => player.pause(), output, loss: charts.loss,
    example: () => (inspector.following && !inspector.hidden && inspector.record ? inspector.record.index : null),
    elements: { after: document.querySelector(".column.output .toggles") } });
  const landscape = new LandscapePanel({ session, net, playing,
    elements: { teach: document.querySelector(".column.net .teach") } });
  return { preview: () => preview.toggle(), landscape: () => landscape.open() };
}
