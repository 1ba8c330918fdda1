// The first-start checklist (GET /api/home/setup), shared by the admin home and /setup.
import { getJson } from '../api';
import type { SetupChecklist } from '../../../backend/src/home/home.types';

export type { SetupChecklist };

export function loadSetup(): Promise<SetupChecklist> {
  return getJson<SetupChecklist>('/api/home/setup');
}
