// A merchant's plain text (a care guide) as paragraphs. Never markup: the text is split here and
// each paragraph is escaped where it is shown (a page, an email).

/** The paragraphs of plain text: blank lines part them, single line breaks become spaces. */
export function paragraphsOf(body: string): string[] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s*\r?\n\s*/g, ' ').trim())
    .filter((p) => p !== '');
}
