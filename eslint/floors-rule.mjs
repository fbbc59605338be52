// ESLint rule `lojal/floors`: an import may go to the importer's own floor or a floor below it,
// never up (docs/ARCHITECTURE.md, "Floors"). The map is eslint/floors.mjs.
import path from 'node:path';
import { areaOf, floorOf, SOURCE_ROOT, FEATURES } from './floors.mjs';

const root = path.resolve(import.meta.dirname, '..', SOURCE_ROOT);

function areaOfFile(file) {
  const rel = path.relative(root, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : areaOf(rel);
}

export const floorsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports go to the same floor or a lower one (docs/ARCHITECTURE.md)' },
    messages: {
      upward:
        "'{{from}}' is on the {{fromFloor}} floor and may not import '{{to}}' on the {{toFloor}} floor above it. " +
        'Move the shared piece down, or compose it in app/ (docs/ARCHITECTURE.md, "Floors").',
      unknown: "'{{area}}' is on no floor: add it to eslint/floors.mjs.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = areaOfFile(file);
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = areaOfFile(path.resolve(path.dirname(file), spec));
      if (!to || to === from) return;
      let fromFloor, toFloor;
      try {
        fromFloor = floorOf(from);
        toFloor = floorOf(to);
      } catch {
        context.report({ node, messageId: 'unknown', data: { area: floorOfMissing(from, to) } });
        return;
      }
      if (toFloor.rank > fromFloor.rank)
        context.report({
          node,
          messageId: 'upward',
          data: { from, to, fromFloor: fromFloor.name, toFloor: toFloor.name },
        });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

function floorOfMissing(...areas) {
  return areas.find((a) => {
    try {
      floorOf(a);
      return false;
    } catch {
      return true;
    }
  });
}

export { FEATURES };
