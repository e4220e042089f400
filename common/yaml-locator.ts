import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { IssueLocator } from './zod-issues';

/**
 * Finds the line and column of a path (as in a zod issue) in a parsed YAML or JSON document:
 * the value's node when it is there, the key of an unknown key, or the nearest enclosing node
 * when the field is missing.
 * @example
 * const lineCounter = new LineCounter();
 * const doc = parseDocument(text, { lineCounter });
 * yamlLocator(doc, lineCounter)(['services', 0, 'kind']) // { line: 5, col: 11 }
 */
export function yamlLocator(doc: Document, lineCounter: LineCounter): IssueLocator {
  return (path, key) => {
    let node: unknown = doc.contents;
    let found: unknown = node;
    const parts = key === undefined ? path : [...path, key];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(part));
        if (!pair) break;
        const isKey = key !== undefined && i === parts.length - 1;
        found = isKey || !isNode(pair.value) ? pair.key : pair.value;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part];
        if (!isNode(item)) break;
        found = node = item;
      } else {
        break;
      }
    }
    const offset = isNode(found) ? found.range?.[0] : undefined;
    return offset === undefined ? undefined : lineCounter.linePos(offset);
  };
}
