// "Today" for waiver expiry. Injectable (DBAAS_NOW) so tests and CI replays give the same answer.
import { DbaasError, problem } from '../errors.js';
import { ERR } from '../error-codes.js';

export const NOW_ENV = 'DBAAS_NOW';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Today as YYYY-MM-DD (UTC): from DBAAS_NOW (an ISO date or date-time) when set, else the clock. */
export function today(env: NodeJS.ProcessEnv = process.env, clock: () => Date = () => new Date()): string {
  const raw = env[NOW_ENV]?.trim();
  if (!raw) return clock().toISOString().slice(0, 10);
  const time = ISO_DATE.test(raw) ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new DbaasError([
      problem({
        code: ERR.BAD_NOW,
        message: `${NOW_ENV}=${JSON.stringify(raw)} is not a date; expected an ISO date such as 2026-11-21`,
        field: NOW_ENV,
        value: raw,
      }),
    ]);
  }
  return new Date(time).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Now as epoch milliseconds: DBAAS_NOW when set (a date means its midnight UTC), else the clock. */
export function nowMs(env: NodeJS.ProcessEnv = process.env, clock: () => Date = () => new Date()): number {
  const raw = env[NOW_ENV]?.trim();
  if (!raw) return clock().getTime();
  today(env, clock); // refuses a malformed DBAAS_NOW with the same problem
  return Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
}
