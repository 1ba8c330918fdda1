// Shared pieces of request DTOs.
import { Transform } from 'class-transformer';

/**
 * A whole number from a query or path string, written in plain decimal only.
 * (`@Type(() => Number)` would take "0x10" as 16, "1e3" as 1000 and "" as 0 —
 * silent guesses; here they stay strings and @IsInt refuses them with a message.)
 * Numbers already parsed (JSON bodies) pass through.
 */
export const ToInt = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value));
