// Reading `pipegate serve` output in tests: JSON lines on stdout when it is not a terminal.

/** The records among `stdout` (lines that are JSON objects). */
export function serveRecords(stdout: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line still being written
    }
  }
  return out;
}

/** The main listener's URL, once the `serving` record is out. */
export function servingUrl(stdout: string): string | undefined {
  const r = serveRecords(stdout).find((x) => x.msg === 'serving');
  return typeof r?.url === 'string' ? r.url : undefined;
}
