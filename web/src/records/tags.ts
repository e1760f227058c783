/** Tags typed as one comma-separated line (as Shopify's admin shows them). */
export const tagsFromText = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  ),
];

export const tagsToText = (tags: readonly string[]): string => tags.join(', ');
