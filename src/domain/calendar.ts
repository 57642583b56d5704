/**
 * Calendar dates as the API writes them, `YYYY-MM-DD` and `YYYY-MM`, compared as strings (same
 * width, so string order is date order). "Today" is the current UTC date (data.md §2.1).
 */

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const YEAR_MONTH = /^([0-9]{4})-([0-9]{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD` naming a day that exists (no 2001-02-29, no 2023-04-31). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM` with a month 01–12. */
export function isYearMonth(value: string): boolean {
  const match = YEAR_MONTH.exec(value);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** The UTC date of an instant, `YYYY-MM-DD`. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The UTC month of an instant, `YYYY-MM`. */
export function utcMonth(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/**
 * The same month and day `years` years before `date` (`YYYY-MM-DD`); 28 February when that day is
 * a 29 February the earlier year lacks (data.md §2.1).
 */
export function yearsBefore(date: string, years: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const earlier = year - years;
  return `${pad(earlier, 4)}-${pad(month)}-${pad(Math.min(day, daysInMonth(earlier, month)))}`;
}

/** A date of birth the API accepts: a real date, not after today, not before today − 130 years. */
export function isDateOfBirth(value: string, now: Date): boolean {
  if (!isCalendarDate(value)) return false;
  const today = utcDate(now);
  return value <= today && value >= yearsBefore(today, 130);
}

/** A year-month the API accepts: from 1900-01 to the current UTC month (data.md §2.4). */
export function isPastYearMonth(value: string, now: Date): boolean {
  return isYearMonth(value) && value >= "1900-01" && value <= utcMonth(now);
}

/** Adult (data.md §5.2): born on or before today minus 18 years. */
export function isAdult(dateOfBirth: string, today: string): boolean {
  return dateOfBirth <= yearsBefore(today, 18);
}
