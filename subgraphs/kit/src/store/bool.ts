/** Booleans are stored as 0/1 integers so one schema serves SQLite and PostgreSQL. */
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | boolean | null | undefined): boolean | null =>
  value === null || value === undefined ? null : value === true || value === 1;
