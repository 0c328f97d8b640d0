// Parses a pipeline file (YAML or JSON) and maps JSON pointers back to line and column.
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, Scalar } from 'yaml';
import type { JsonValue } from '../json.js';
import type { ValidationIssue } from './validation-issue.js';

/** A parsed document that can locate any JSON pointer in its source. */
export interface SourceDocument {
  file: string;
  format: 'YAML' | 'JSON';
  value: JsonValue;
  /** Line and column (1-based) of the node at `pointer`, or of its nearest ancestor. */
  locate(pointer: string, offsetInString?: number): { line: number; column: number } | undefined;
}

/** Size limit of a pipeline file; a larger file is refused before parsing. */
export const MAX_PIPELINE_BYTES = 2 * 1024 * 1024;

/** Parses `text`; syntax problems are returned as issues (never thrown). */
export function parseSource(file: string, text: string): { doc?: SourceDocument; issues: ValidationIssue[] } {
  const format = /\.json$/i.test(file) ? 'JSON' : 'YAML';
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      issues: document.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          file,
          path: '',
          line: pos.line,
          column: pos.col,
          code: 'ERR_PIPELINE_SYNTAX',
          message: `The file is not valid ${format}: ${firstLine(e.message)}`,
        };
      }),
    };
  }
  let value: JsonValue;
  try {
    value = document.toJS({ maxAliasCount: 100 }) as JsonValue;
  } catch (err) {
    return { issues: [{ file, path: '', code: 'ERR_PIPELINE_SYNTAX', message: `The file is not valid ${format}: ${firstLine(String((err as Error).message))}` }] };
  }
  return { doc: { file, format, value, locate: (p, o) => locate(text, document, lineCounter, p, o) }, issues: [] };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

function locate(text: string, document: Document, lc: LineCounter, pointer: string, offsetInString?: number): { line: number; column: number } | undefined {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: Node | null | undefined = document.contents as Node | null;
  let best: Node | null | undefined = node;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      node = pair.value as Node | null;
      // A key with a null value still has a position: the key's.
      best = node ?? (pair.key as Node);
    } else if (isSeq(node)) {
      node = node.items[Number(seg)] as Node | undefined;
      if (!node) break;
      best = node;
    } else break;
  }
  if (!best?.range) return undefined;
  let offset = best.range[0];
  if (offsetInString !== undefined && isScalar(best)) {
    const type = (best as Scalar).type;
    if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') offset = quotedSourceOffset(text, offset, type, offsetInString);
    else if (type === 'PLAIN') offset += offsetInString;
  }
  const pos = lc.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/**
 * The source offset of the character at `decoded` in the value of the quoted scalar starting at
 * `start`: escapes (`\"`, `\n`, `\xHH`, `\uHHHH`, `\UHHHHHHHH`; `''` in single quotes) are longer in
 * the source than in the value, so the value offset alone puts the column too far left.
 */
export function quotedSourceOffset(text: string, start: number, type: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE', decoded: number): number {
  let i = start + 1;
  let seen = 0;
  while (seen < decoded && i < text.length) {
    const c = text[i];
    if (type === 'QUOTE_DOUBLE' && c === '\\') {
      const kind = text[i + 1];
      const length = kind === 'x' ? 4 : kind === 'u' ? 6 : kind === 'U' ? 10 : 2;
      // An escape beyond the BMP is two UTF-16 units of the value.
      seen += kind === 'U' && parseInt(text.slice(i + 2, i + 10), 16) > 0xffff ? 2 : 1;
      i += length;
    } else if (type === 'QUOTE_SINGLE' && c === "'" && text[i + 1] === "'") {
      seen += 1;
      i += 2;
    } else {
      seen += 1;
      i += 1;
    }
  }
  return i;
}
