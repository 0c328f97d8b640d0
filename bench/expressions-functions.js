// Evaluation throughput of Double Braces functions called through the table (run: npm run build && node bench/expressions-functions.js).
import { lookupFunction } from '../dist/expr/functions/index.js';
import { frozenServices } from '../dist/expr/functions/frozen-services.js';

const services = frozenServices();
const store = {
  store: {
    book: Array.from({ length: 20 }, (_, i) => ({
      category: i % 3 ? 'fiction' : 'reference',
      title: `Book ${i}`,
      price: 5 + i * 1.5,
    })),
    bicycle: { color: 'red', price: 19.95 },
  },
};
const text = 'The quick brown fox jumps over the lazy dog, 2024-02-29, order #12345; '.repeat(4);

/** name → [function, args]: a representative set of everyday calls. */
const cases = {
  'CONCAT 4 args': ['CONCAT', ['order-', 12345, '-', 'BR']],
  UPPERCASE: ['UPPERCASE', ['hello world']],
  'SUM 3 args': ['SUM', [1.5, 2, '3']],
  'IF/EQUALTO pair': [
    'EQUALTO',
    [
      { a: 1, b: [1, 2] },
      { b: [1, 2], a: 1 },
    ],
  ],
  'FORMATNUMBER #,##0.00 pt-br': ['FORMATNUMBER', [1234567.891, '#,##0.00', 'pt-br']],
  'TONUMBER R$ pt-br': ['TONUMBER', ['R$ 300.754,15', "'R$ '###,###.##", 'pt-br']],
  'FORMATDATE ts → yyyyMMdd GMT-3': [
    'FORMATDATE',
    [1709208000000, 'timestamp', 'yyyyMMdd', null, 'GMT-3'],
  ],
  'FORMATDATE parse → EEE MMM a, IANA': [
    'FORMATDATE',
    ['29/02/2024 14:05', 'dd/MM/yyyy HH:mm', 'EEE, d MMM yyyy hh:mm a', null, 'America/Sao_Paulo'],
  ],
  'SUMDATE 1 month NY': ['SUMDATE', [1709208000000, 'month', 1, 'America/New_York']],
  'DIFFDATE days': ['DIFFDATE', [0, 1709208000000, 'day']],
  'JSONPATH definite': ['JSONPATH', [store, '$.store.bicycle.color']],
  'JSONPATH filter (20 books)': [
    'JSONPATH',
    [store, "$.store.book[?(@.price < 20 && @.category == 'fiction')].title"],
  ],
  'JSONPATH ..price.max()': ['JSONPATH', [store, '$..price.max()']],
  'REPLACE regex 290 chars': ['REPLACE', [text, '(\\d{4})-(\\d{2})-(\\d{2})', '$3/$2/$1']],
  'SPLIT on ", "': ['SPLIT', [text, ',\\s*']],
  'MATCHES (?i) e-mail': [
    'MATCHES',
    ['Someone@Example.com', '(?i)[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}'],
  ],
  'ESCAPE JSON': ['ESCAPE', ['say "hi" / São\n']],
  BASEENCODE: ['BASEENCODE', ['xpto:secret']],
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function opsPerSecond(def, args, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) def.call(args, services);
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

const entries = Object.entries(cases).map(([label, [name, args]]) => {
  const def = lookupFunction(name);
  if (!def) throw new Error(`no function ${name}`);
  def.call(args, services); // validates the case and warms caches
  return { label, def, args, samples: [] };
});

const N = Number(process.env.BENCH_N ?? 20_000);
for (const e of entries) opsPerSecond(e.def, e.args, 2_000);
for (let round = 0; round < 7; round++) {
  // Interleaved rounds: machine noise hits every case alike.
  for (const e of entries) e.samples.push(opsPerSecond(e.def, e.args, N));
}

// A cold-cache variant: a new regex/pattern every call shows what the compile caches save.
let k = 0;
const replace = lookupFunction('REPLACE');
const cold = [];
const warm = [];
for (let round = 0; round < 7; round++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < 5_000; i++) replace.call(['a-b-c', `-|x${k++}`, '+'], services);
  cold.push(5_000 / (Number(process.hrtime.bigint() - start) / 1e9));
  warm.push(opsPerSecond(replace, ['a-b-c', '-|x0', '+'], 5_000));
}

const base = median(entries[0].samples);
console.log(`node ${process.version}, ${N} calls x 7 interleaved rounds, median`);
console.log('| Call | calls/s | vs CONCAT |');
console.log('|---|---:|---:|');
for (const e of entries) {
  const m = median(e.samples);
  console.log(
    `| ${e.label} | ${Math.round(m).toLocaleString('en-US')} | ${(m / base).toFixed(3)} |`,
  );
}
console.log(
  `\nREPLACE cached pattern: ${Math.round(median(warm)).toLocaleString('en-US')} calls/s; new pattern each call: ${Math.round(median(cold)).toLocaleString('en-US')} calls/s (ratio ${(median(warm) / median(cold)).toFixed(1)}x)`,
);
