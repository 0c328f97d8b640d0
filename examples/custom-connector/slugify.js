// A custom connector: turns a text into a URL slug. Load it with `pipegate serve --connectors slugify.js`
// or `connectors: [slugify.js]` in pipegate.yaml (docs/connectors/custom.md).
import { PlatformError, defineConnector } from 'pipegate';

export const slugify = defineConnector({
  type: 'slugify',
  version: 1,
  title: 'Slugify',
  category: 'tools',
  summary:
    'Turns a text into a lowercase URL slug (letters, digits and hyphens) and writes it to a field of the message.',
  failOnErrorDefault: true,
  parameters: {
    text: {
      schema: { type: 'string' },
      expression: 'render',
      required: true,
      description: 'The text to turn into a slug (Double Braces allowed).',
    },
    field: {
      schema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      default: 'slug',
      description: 'Top-level field of the output message that receives the slug.',
    },
    maxLength: {
      schema: { type: 'integer', minimum: 1, maximum: 200 },
      default: 60,
      description: 'Longest slug kept; longer ones are cut at a hyphen when possible.',
    },
  },
  example: 'type: slugify\ntext: "{{ message.body.title }}"\nfield: slug',
  run(_ctx, { params, message }) {
    const slug = params.text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, params.maxLength)
      .replace(/-+$/, '');
    if (slug === '')
      throw new PlatformError('ERR_CONNECTOR_FAILED', { reason: 'the text has no letters or digits to make a slug from' }, { status: 422 });
    const base = message !== null && typeof message === 'object' && !Array.isArray(message) ? message : { value: message };
    return { ...base, [params.field]: slug };
  },
});
