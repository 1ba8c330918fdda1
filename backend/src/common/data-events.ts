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

  emit(e: DataEvent): void {
    for (const l of this.listeners) l(e);
  }

  subscribe(l: (e: DataEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
