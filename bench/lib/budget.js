'use strict';
// The whole run's time budget (--budget), split among the sections before the first one starts.
// Each section stops starting points at its own deadline, so a slow machine shortens every
// section instead of leaving the last one (memory) nothing.

/** The order run.js runs the sections in. */
const RUN_ORDER = [1, 2, 3, 5, 4];

/**
 * Seconds each section takes on a quiet 2-core machine, reckoned from its points (load seconds,
 * api boots and warm-ups, the floors beside the target runs, the backlog a paused worker drains,
 * the full-GC readings): the budget is shared in this proportion, so that every section keeps
 * the part of it it needs when the budget is generous, and the same part of less when not.
 */
const USUAL_SECONDS = {
  full: { 1: 40, 2: 75, 3: 40, 5: 90, 4: 180 },
  quick: { 1: 15, 2: 25, 3: 10, 5: 25, 4: 20 },
};

/** Kept at the end of the budget for stopping the processes, dropping the databases and writing the report. */
const CLOSING_SECONDS = 5;

class Budget {
  /**
   * `sections`: the selected ones. A deadline is a moment, not a length: a section that ends
   * early leaves its time to the next; one that is slow stops at its deadline and cannot take
   * the time of those after it.
   */
  constructor({ budgetSeconds, sections, quick, now = Date.now }) {
    this.now = now;
    this.startedAt = now();
    this.budgetSeconds = budgetSeconds;
    this.end = this.startedAt + budgetSeconds * 1000;
    this.leftOut = [];
    const usual = USUAL_SECONDS[quick ? 'quick' : 'full'];
    const order = RUN_ORDER.filter((s) => sections.has(s));
    const total = order.reduce((sum, s) => sum + usual[s], 0);
    const spendable = Math.max(0, budgetSeconds - CLOSING_SECONDS) * 1000;
    let reached = 0;
    this.deadlines = new Map(order.map((s) => {
      reached += usual[s];
      return [s, this.startedAt + (spendable * reached) / total];
    }));
  }

  /** Seconds from the start of the run to the section's deadline. */
  deadlineSeconds(section) {
    return (this.deadlines.get(section) - this.startedAt) / 1000;
  }

  /**
   * Whether work expected to take `ms` from now ends by the section's deadline. When it does
   * not and `what` names it, it is recorded as left out, for the report.
   */
  allows(section, ms, what) {
    const fits = this.now() + ms <= this.deadlines.get(section);
    if (!fits && what) this.leaveOut(section, what);
    return fits;
  }

  /** Records what the budget left out or cut short, and when. */
  leaveOut(section, what) {
    this.leftOut.push({ section, what, atSeconds: (this.now() - this.startedAt) / 1000 });
  }
}

module.exports = { Budget, RUN_ORDER, USUAL_SECONDS, CLOSING_SECONDS };
