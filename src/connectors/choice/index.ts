// choice: runs the first branch whose condition is true, else `otherwise`; exactly one branch runs.
import { defineConnector } from '../../core/connector.js';

function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

export const choice = defineConnector<Record<string, never>>({
  type: 'choice',
  version: 1,
  title: 'Choice',
  category: 'control',
  summary:
    'Evaluates the `when` conditions in order and runs the steps of the first one that is true; when none is, runs `otherwise` (or, without `otherwise`, passes the message on unchanged). Only one branch runs. The branch\'s final message is the output; the main flow continues after the choice.',
  failOnErrorDefault: true,
  parameters: {
    when: { schema: {}, steps: 'branches', required: true, description: 'Ordered list of `{ condition, steps }`; conditions are Double Braces booleans.' },
    otherwise: { schema: {}, steps: 'list', description: 'Steps run when no condition is true.' },
  },
  async run(_ctx, { message, flows, branches }) {
    for (const branch of branches) if (isTrue(branch.test(message))) return branch.run(message);
    const otherwise = flows.otherwise;
    return otherwise ? otherwise(message) : message;
  },
  example: 'type: choice\nwhen:\n  - condition: "{{ EQUALTO(message.role, \\"admin\\") }}"\n    steps:\n      - type: json-generator\n        json: { admin: true }\notherwise:\n  - type: json-generator\n    json: { admin: false }',
});
