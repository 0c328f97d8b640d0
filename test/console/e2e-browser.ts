// Browser fixture of the console end-to-end tests: Debian's Chromium driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '../..');
/** Screenshots kept as test artifacts (gitignored). */
export const artifacts = join(repoRoot, 'test-artifacts', 'console');
export const CHROMIUM = process.env.PIPEGATE_CHROMIUM ?? '/usr/bin/chromium';

/** Builds dist/console-ui when it is missing (`npm test` builds it first; a lone vitest run may not). */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(repoRoot, 'dist', 'console-ui', 'index.html'))) return;
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'console/vite.config.ts',
    ],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console messages and page errors seen (a CSP violation or an exception shows up here). */
  problems: string[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile; fails (not skips) when Chromium is missing: .ci/run installs it. */
export async function openBrowser(viewport = { width: 1280, height: 860 }): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)`,
    );
  const profile = await mkdtemp(join(tmpdir(), 'pg-console-chromium-'));
  await mkdir(artifacts, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return {
    context,
    page,
    problems,
    async shot(name) {
      const file = join(artifacts, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Accessibility basics of the current page: one h1, main and nav landmarks, every form control
 * labelled, every button named. Returns the problems found.
 */
export async function a11yProblems(page: Page): Promise<string[]> {
  // A string: this file is type-checked without the DOM library; the script runs in the page.
  return (await page.evaluate(A11Y_SCRIPT)) as string[];
}

const A11Y_SCRIPT = `(() => {
  const out = [];
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) out.push('h1 count ' + h1);
  if (!document.querySelector('main')) out.push('no <main>');
  if (!document.documentElement.lang) out.push('no lang');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const labelled = (el.labels ? el.labels.length : 0) > 0 || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) out.push('unlabelled ' + el.tagName + ' ' + (el.id || el.name));
  }
  for (const b of document.querySelectorAll('button, a[href]')) {
    const name = (b.getAttribute('aria-label') || b.textContent || '').trim();
    if (name === '') out.push('unnamed ' + b.tagName + ' ' + b.outerHTML.slice(0, 80));
  }
  return out;
})()`;
