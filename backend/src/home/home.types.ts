// What the home page (/) reads: today's to-do of a region and, for admins, the
// first-start checklist. Pure types, imported by the frontend too.

/** The kinds of today's to-do: three about persons (as of a day), one about dispatch orders (now). */
export type TodoKind = 'help_due' | 'no_contact' | 'visit_due' | 'dispatch_awaiting';
export const TODO_KINDS: readonly TodoKind[] = ['help_due', 'no_contact', 'visit_due', 'dispatch_awaiting'];
/** The person kinds: each is a filter of the case list (`/api/cases?todo=…`). */
export type PersonTodoKind = Exclude<TodoKind, 'dispatch_awaiting'>;
export const PERSON_TODO_KINDS: readonly PersonTodoKind[] = ['help_due', 'no_contact', 'visit_due'];

export interface TodoCounty {
  county: string;
  countyName: string;
  /** Persons on the list (what the case list's `todo` filter shows). */
  persons: number;
  /** Items: help requests for help_due, orders for dispatch_awaiting, else persons. */
  items: number;
}

export interface TodoItem {
  kind: TodoKind;
  label: string;
  /** What it means, in a clerk's words. */
  hint: string;
  /** Sum over the counties. */
  items: number;
  persons: number;
  /** Counties with something to do, most first. */
  counties: TodoCounty[];
}

export interface HomeTodo {
  region: string;
  regionName: string;
  asOf: string;
  /** The rule parameters the lists use (days allowed before a first contact, between follow-up visits; SLA hours). */
  params: { contactDays: number; followupDays: number; slaHours: number };
  items: TodoItem[];
}

export interface SetupStep {
  key: 'admin_password' | 'users' | 'channels' | 'ledgers' | 'demo_off';
  label: string;
  done: boolean;
  /** What was found (e.g. "已有 3 个用户"), or what to do next. */
  detail: string;
  /** Where in the app it is done (a path), if anywhere. */
  link: string | null;
}

export interface SetupChecklist {
  steps: SetupStep[];
  done: number;
  total: number;
  complete: boolean;
}
