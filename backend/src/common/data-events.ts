// In-process notifications between jobs and the live push: "new data was
// loaded", "a new snapshot is ready". Subscribers get every event in order.
import { Injectable } from '@nestjs/common';

export type DataEvent =
  | { type: 'data-loaded'; inserted: number }
  | { type: 'snapshot-ready'; asOf: string; computedAt: string }
  | { type: 'job-failed'; job: string; error: string };

@Injectable()
export class DataEvents {
  private readonly listeners = new Set<(e: DataEvent) => void>();
  private readonly pending = new Set<Promise<unknown>>();

  emit(e: DataEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Work a listener started for an event, that the emitter may wait for (settled()). It must not reject. */
  hold(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Resolves when the work listeners started for the events so far is done (the refresh job waits so). */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  subscribe(l: (e: DataEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
