import type { TemplateProblem } from './template-error.ts';

// Elements whose content is HTML rather than MJML: tags inside them are not checked.
const HTML_CONTENT = new Set(['mj-text', 'mj-button', 'mj-raw', 'mj-table', 'mj-navbar-link']);
const NOT_IN_BODY = new Set(['mjml', 'mj-head', 'mj-body']);

/**
 * Problems MJML's lenient parser would let through: an unclosed or stray mj- tag would swallow
 * our footer (and its unsubscribe link) instead of failing, and a whole document cannot be a body.
 * Also counts the body's MJML elements (tags inside mj-text and the like are HTML, not counted),
 * which is what MJML's compile time grows with.
 */
export function checkMjmlBody(body: string): { problems: TemplateProblem[]; elements: number } {
  const problems: TemplateProblem[] = [];
  let elements = 0;
  const open: { name: string; line: number }[] = [];
  const tag = /<(\/?)(mj[\w-]*)\b[^>]*?(\/?)>/gi;
  let line = 1;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    line += countNewlines(body, last, m.index);
    last = m.index;
    const [, closing, rawName, selfClosing] = m;
    const name = rawName!.toLowerCase();
    const inside = open.at(-1);
    if (inside && HTML_CONTENT.has(inside.name) && !(closing && name === inside.name)) continue;
    if (NOT_IN_BODY.has(name)) {
      problems.push({ line, message: `<${name}> is part of the layout; write only body elements` });
    } else if (closing) {
      if (inside?.name === name) open.pop();
      else
        problems.push({
          line,
          message:
            `</${name}> closes nothing` +
            (inside ? ` (<${inside.name}> from line ${inside.line} is open)` : ''),
        });
    } else {
      elements++;
      if (!selfClosing) open.push({ name, line });
    }
  }
  for (const o of open) problems.push({ line: o.line, message: `<${o.name}> is never closed` });
  return { problems, elements };
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
