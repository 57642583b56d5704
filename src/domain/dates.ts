/**
 * Calendar dates as data.md §2.1 counts them: "today" is the current UTC date, and "today minus N
 * years" is the same month and day N years earlier, 28 February when that day is a 29 February the
 * earlier year lacks. Dates are `YYYY-MM-DD` strings, so they compare in calendar order as text.
 */

/** The UTC calendar date of a moment: `2025-03-24`. */
export function utcDate(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The same month and day `years` earlier; 29 February becomes 28 February in a common year. */
export function yearsBefore(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) - years;
  const monthDay = date.slice(5);
  const day = monthDay === "02-29" && !isLeapYear(year) ? "02-28" : monthDay;
  return `${String(year).padStart(4, "0")}-${day}`;
}

/** Adult (§5.2): born on or before today minus 18 years. */
export function isAdult(dateOfBirth: string, today: string): boolean {
  return dateOfBirth <= yearsBefore(today, 18);
}
