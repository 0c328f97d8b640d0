// Public surface of the Double Braces expression language.
export { parseTemplate, hasExpression } from './parser.js';
export { compileNode, walk, suggestion, type Evaluator, type CompileInfo, type Compiled } from './compiler.js';
export { compileTemplate, compileValue, newCompileInfo, pointerEscape, textForm, type CompiledValue } from './template.js';
export type { EvalScope } from './scope.js';
export type { FunctionDef, EvalServices, ArgKind } from './function-def.js';
export { lookupFunction, functionNames, functionGroups } from './functions/index.js';
