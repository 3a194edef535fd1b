// The numbers a user reads off the page: the step and epoch counters in the top bar, the
// losses and the accuracy beside the output, and the notes that go with them (no accuracy
// for regression; no test points, so the test numbers are the training set's).
import * as format from "./format.js";

export class Counters {
  // elements: { step, epoch, lossTrain, lossTest, accTest, accRow, noTest }
  constructor(elements) {
    this.elements = elements;
  }

  // A session state: which rows and notes apply.
  show(s) {
    const { accRow, noTest } = this.elements;
    noTest.hidden = !(s.data.own && s.data.test.X.length === 0);
    accRow.hidden = s.config.problem === "regression";
  }

  draw(frame) {
    const { epoch, lossTrain, lossTest, accTest } = this.elements;
    this.showStep(frame.step);
    epoch.textContent = format.count(frame.epoch);
    lossTrain.textContent = format.loss(frame.loss.train);
    lossTest.textContent = format.loss(frame.loss.test);
    accTest.textContent = format.percent(frame.accuracy?.test);
  }

  // The step alone: slow motion shows the step it plays before the frame is drawn.
  showStep(step) {
    this.elements.step.textContent = format.count(step);
  }
}
