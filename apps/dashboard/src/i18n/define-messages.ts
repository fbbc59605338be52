/** One area's texts: English, and Polish with exactly the same ids (checked by TypeScript). */
export interface Messages {
  en: Record<string, string>;
  pl: Record<string, string>;
}

export function defineMessages<const E extends Record<string, string>>(
  en: E,
  pl: Record<keyof E, string>,
): Messages {
  return { en, pl };
}
