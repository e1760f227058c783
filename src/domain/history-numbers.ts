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

/** The digits of one lexeme of an import batch (and the fewest a number search looks up). */
export const GRAM = 5;

/**
 * An import batch's number lexemes: every GRAM digits in a row of its search text, each once (a run
 * of 13 digits gives 9). An import batch lists hundreds of records, so the rule above gave it thousands
 * of lexemes, nearly all of them unique to it (each id from each of its positions): inserting them was
 * most of the cost of the batch's entry, and they made the index the size of the import itself. Grams
 * are shared by the batch's records and by all batches (at most 100,000 of them), so the index keeps one
 * list per gram. A number is found by the grams of its digits, all of them (numberGrams). Pure.
 */
export function importNumbers(searchText: string): string[] {
  const lexemes = new Set<string>();
  for (const run of searchText.split(/[^0-9]+/))
    for (let i = 0; i + GRAM <= run.length; i += 1) lexemes.add(run.slice(i, i + GRAM));
  return [...lexemes];
}

/** The grams of a run of digits (importNumbers' lexemes it needs an entry to hold), each once. */
export const numberGrams = (run: string): string[] => importNumbers(run);
