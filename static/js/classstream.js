// A class's event stream (GET /api/classes/{code}/events, app/hub.py) as a page follows it.
// EventSource reconnects by itself after a drop and sends Last-Event-ID, and the server
// resumes at the latest of each kind. When it gives up instead (the server answered with an
// error), the class is looked up: one that is gone has ended; otherwise a new stream follows.
import { api, ApiError } from "./api.js";

const KINDS = ["setup", "view", "frame", "question", "tally", "reveal", "end"];
const RETRY_MS = 3000;

export class ClassStream {
  // code      the class code
  // handlers  { setup, view, frame, question, tally, reveal, end }: each (data) for its
  //           events, data parsed; kinds without one are not listened to
  // status    (state) with "live", "reconnecting" or "ended" as the stream's state changes
  constructor(code, handlers, status = () => {}) {
    Object.assign(this, { code, handlers, status });
    this.source = null;
    this.closed = false;
    this.open();
  }

  open() {
    const es = (this.source = new EventSource(api.classEvents(this.code)));
    for (const kind of KINDS) {
      if (!this.handlers[kind] && kind !== "end") continue;
      es.addEventListener(kind, (e) => {
        if (kind === "end") this.end();
        this.handlers[kind]?.(JSON.parse(e.data));
      });
    }
    es.addEventListener("open", () => this.status("live"));
    es.addEventListener("error", () => {
      if (this.closed) return;
      if (es.readyState === EventSource.CONNECTING) this.status("reconnecting");
      else this.lost();
    });
  }

  async lost() {
    this.status("reconnecting");
    try {
      await api.classState(this.code);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) { this.end(); return; }
    }
    setTimeout(() => { if (!this.closed) this.open(); }, RETRY_MS);
  }

  end() {
    this.close();
    this.status("ended");
  }

  close() {
    this.closed = true;
    this.source?.close();
  }
}
