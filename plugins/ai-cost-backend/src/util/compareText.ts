/**
 * Orders strings by UTF-16 code units, the same way on every runtime and
 * whatever the locale, unlike `localeCompare`.
 */
export function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}
