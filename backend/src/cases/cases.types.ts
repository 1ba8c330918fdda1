// The case list's response shapes, shared with the frontend (types only, no imports).

export interface CaseItem {
  personKey: string;
  name: string;
  idNumber: string;
  phone: string;
  countyCode: string;
  receivedDate: string;
  assignedDate: string | null;
  category: string;
  hardship: string[];
  employmentStatus: string;
  contacted: boolean;
  services: { guidance: number; referral: number; training: number; internship: number; oneOnOne: number };
  complete1311: boolean;
  missing1311: string[];
  helpOverdue: number;
  lastService: string | null;
  updatedAt: string;
  /** Why this person still needs the county's attention, in a clerk's words. */
  reasons: string[];
}

export interface CasePage {
  county: string;
  countyName: string;
  asOf: string;
  total: number;
  limit: number;
  offset: number;
  rows: CaseItem[];
}
