/**
 * The lexemes Sync History's number index holds for an entry (migration 0031's rule, computed here as
 * the entry is written, migration 0042): for each run of 5 or more digits in the search text, the run
 * from each of its positions, at most 16 digits; a text with more than MANY_DIGITS digits (a large
 * import batch) is indexed as 'many' and always checked by a search for a number. Pure.
 */
export const MANY_DIGITS = 20_000;

export function historyNumbers(searchText: string): string[] {
  let digits = 0;
  for (let i = 0; i < searchText.length; i += 1) {
    const c = searchText.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
  }
  if (digits > MANY_DIGITS) return ['many'];
  const lexemes = new Set<string>();
  for (const run of searchText.split(/[^0-9]+/))
    for (let i = 0; i + 5 <= run.length; i += 1) lexemes.add(run.slice(i, i + 16));
  return [...lexemes];
}
