// Date functions: NOW.
import type { FunctionDef } from '../function-def.js';

export const dateFunctions: FunctionDef[] = [
  {
    name: 'NOW',
    group: 'date',
    minArgs: 0,
    maxArgs: 0,
    pure: false,
    signature: 'NOW()',
    summary: 'the current time in epoch milliseconds.',
    call: (_args, services) => services.now(),
  },
];
