// The syntax tree of one Double Braces expression; `start` is the offset in the template source.

/** A literal string, number, boolean or null. */
export interface LiteralNode {
  t: 'lit';
  value: string | number | boolean | null;
  start: number;
}

/** A reference such as `message.a[0]` or `global.db-timeout`. */
export interface RefNode {
  t: 'ref';
  root: Scope;
  path: (string | number)[];
  start: number;
}

/** A function call `NAME(arg, …)`. */
export interface CallNode {
  t: 'call';
  name: string;
  args: ExprNode[];
  start: number;
}

/** An inline JSON object whose values are expressions. */
export interface ObjectNode {
  t: 'obj';
  entries: [string, ExprNode][];
  start: number;
}

/** An inline JSON array whose items are expressions. */
export interface ArrayNode {
  t: 'arr';
  items: ExprNode[];
  start: number;
}

export type ExprNode = LiteralNode | RefNode | CallNode | ObjectNode | ArrayNode;

/** The top-level names a reference may start with. */
export const SCOPES = ['message', 'global', 'account', 'metadata', 'step', 'item'] as const;
export type Scope = (typeof SCOPES)[number];

/** A template: text interleaved with expressions. */
export interface TemplateAst {
  parts: (string | { node: ExprNode; start: number; end: number })[];
}
