// Keyboard use of the workbench's tables (pure): arrow keys move the row
// focus, Home/End jump, Enter opens the row; Enter or Space on a header sorts.

export type RowAction = { type: 'focus'; index: number } | { type: 'open'; index: number } | null;

export function rowKeyAction(key: string, index: number, count: number): RowAction {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return { type: 'focus', index: Math.min(count - 1, index + 1) };
    case 'ArrowUp':
      return { type: 'focus', index: Math.max(0, index - 1) };
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: count - 1 };
    case 'PageDown':
      return { type: 'focus', index: Math.min(count - 1, index + 10) };
    case 'PageUp':
      return { type: 'focus', index: Math.max(0, index - 10) };
    case 'Enter':
      return { type: 'open', index };
    default:
      return null;
  }
}

export function isActivation(e: Pick<KeyboardEvent, 'key'>): boolean {
  return e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar';
}
