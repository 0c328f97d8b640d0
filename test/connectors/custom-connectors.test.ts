// Custom connectors: the example loads through the public API, is served by a gateway, has generated docs; broken ones are refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatewayOptionsFrom, loadConfig } from '../../src/config/index.js';
import { connectorPage } from '../../src/docs/connector-page.js';
import { loadConnectorModules, startGateway } from '../../src/index.js';
import type { GatewayOptions } from '../../src/index.js';
import { cli } from '../cli/cli-support.js';

const example = resolve(import.meta.dirname, '../../examples/custom-connector');

function moduleFile(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-connector-'));
  const file = join(dir, 'connector.mjs');
  writeFileSync(file, source);
  return file;
}

const valid = `{ type: 'shout', version: 1, title: 'Shout', summary: 'Upper-cases.', category: 'tools', failOnErrorDefault: true,
  parameters: { text: { schema: { type: 'string' }, description: 'Text.', expression: 'render' } }, run: (_c, i) => ({ text: i.params.text.toUpperCase() }) }`;

describe('custom connectors', () => {
  it('loads the example connector (it imports defineConnector and PlatformError from "pipegate")', async () => {
    const [c, ...rest] = await loadConnectorModules([join(example, 'slugify.js')]);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ type: 'slugify', version: 1, category: 'tools' });
  });

  it('keeps the example’s generated reference page current', async () => {
    const [c] = await loadConnectorModules([join(example, 'slugify.js')]);
    expect(readFileSync(join(example, 'docs/connectors/slugify.md'), 'utf8')).toBe(connectorPage(c!));
  });

  it('serves a pipeline using it when pipegate.yaml lists it, with Fail On Error and its status', async () => {
    const cfg = await loadConfig({ cwd: example, env: {} });
    const gw = await startGateway({ ...(gatewayOptionsFrom(cfg) as GatewayOptions), port: 0, dataDir: mkdtempSync(join(tmpdir(), 'pg-cc-')), env: {}, logger: false });
    try {
      const post = (title: string) => fetch(`${gw.url}/slugs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
      const ok = await post('Héllo, Wörld! 2026');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ title: 'Héllo, Wörld! 2026', slug: 'hello-world-2026' });
      const bad = await post('!!!');
      expect(bad.status).toBe(422);
      expect(await bad.json()).toMatchObject({ code: 422, error: expect.stringContaining('no letters or digits') });
    } finally {
      await gw.close();
    }
  });

  it('validates and runs pipelines with --connectors in the CLI', async () => {
    const file = moduleFile(`export const shout = ${valid};`);
    const pipeline = join(mkdtempSync(join(tmpdir(), 'pg-cc-p-')), 'p.yaml');
    writeFileSync(pipeline, 'name: p\nversion: "1.0"\nsteps:\n  - type: shout\n    text: "{{ message.t }}"\n');
    expect((await cli(['validate', pipeline])).stderr).toContain('ERR_PIPELINE_UNKNOWN_STEP_TYPE');
    expect((await cli(['validate', pipeline, '--connectors', file])).code).toBe(0);
    const run = await cli(['run', pipeline, '--message', '{"t":"hi"}'], { PIPEGATE_CONNECTORS: file });
    expect(JSON.parse(run.stdout)).toEqual({ text: 'HI' });
  });

  it.each([
    ['replaces a built-in', valid.replace("'shout'", "'log'"), 'ERR_CONNECTOR_INVALID', 'already registered'],
    ['has a non-kebab type', valid.replace("'shout'", "'Shout_It'"), 'ERR_CONNECTOR_INVALID', 'kebab-case'],
    ['lacks a parameter description', valid.replace("description: 'Text.'", "description: ''"), 'ERR_CONNECTOR_INVALID', 'needs a description'],
    ['has a schema that does not compile', valid.replace("schema: { type: 'string' }", "schema: { type: 'strin' }"), 'ERR_CONNECTOR_INVALID', 'does not compile'],
    ['uses a reserved parameter', valid.replace('parameters: { text:', 'parameters: { alias:'), 'ERR_CONNECTOR_INVALID', 'reserved'],
    ['has an invalid example', valid.replace("run:", "example: 'type: shout\\nloud: true', run:"), 'ERR_CONNECTOR_INVALID', 'example'],
    ['has no run function', valid.replace(/run: .*$/, 'run: 1 }'), 'ERR_CONNECTOR_INVALID', '"run"'],
  ])('refuses a connector that %s', async (_what, descriptor, code, text) => {
    const file = moduleFile(`export default ${descriptor};`);
    await expect(loadConnectorModules([file])).rejects.toMatchObject({ code, message: expect.stringContaining(text) });
  });

  it('refuses modules that do not import or export no connector', async () => {
    await expect(loadConnectorModules(['/nonexistent/connector.mjs'])).rejects.toMatchObject({ code: 'ERR_CONNECTOR_MODULE' });
    await expect(loadConnectorModules([moduleFile('export const x = 1;')])).rejects.toMatchObject({ code: 'ERR_CONNECTOR_MODULE', message: expect.stringContaining('exports no connector') });
    const r = await cli(['serve', '--connectors', moduleFile('export const x = 1;'), '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'pg-cc-s-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_CONNECTOR_MODULE');
  });
});
