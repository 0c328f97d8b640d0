// JOLT transforms per second vs a JSONata expression doing the same work (run: npm run build && node bench/jolt.js).
import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import { compileChain } from '../dist/jolt/index.js';

const orders = Array.from({ length: 20 }, (_, o) => ({
  id: `A-${o}`,
  items: Array.from({ length: 5 }, (_, i) => ({ sku: `sku-${o}-${i}`, qty: i + 1 })),
}));

const scenarios = [
  {
    name: 'simple rename (claim extraction)',
    input: {
      body: { userID: 'u-1001', role: 'admin', password: 'hunter2' },
      headers: { 'content-type': 'application/json' },
    },
    jolt: [{ operation: 'shift', spec: { body: { userID: 'userID', role: 'role' } } }],
    jsonata: '{ "userID": body.userID, "role": body.role }',
  },
  {
    name: 'nested arrays (20 orders x 5 items)',
    input: { orders },
    jolt: [
      {
        operation: 'shift',
        spec: {
          orders: {
            '*': {
              id: 'orders[&1].orderId',
              items: {
                '*': { sku: ['orders[&3].skus[]', 'allSkus[]'], qty: 'quantities.@(1,sku)' },
              },
            },
          },
        },
      },
    ],
    jsonata:
      '{ "orders": [orders.{ "orderId": id, "skus": [items.sku] }], "allSkus": [orders.items.sku], "quantities": $merge(orders.items.{ sku: qty }) }',
  },
  {
    name: '5-operation chain (shift, default, modify, remove, sort)',
    input: {
      user: { first: 'Ada', last: 'Lovelace', email: 'ADA@Example.COM', tags: ['math', 'poetry'] },
    },
    jolt: [
      {
        operation: 'shift',
        spec: {
          user: {
            first: 'profile.firstName',
            last: 'profile.lastName',
            email: 'profile.email',
            tags: 'profile.tags',
          },
        },
      },
      { operation: 'default', spec: { profile: { country: 'BR', tags: [] } } },
      {
        operation: 'modify-overwrite-beta',
        spec: {
          profile: {
            fullName: "=concat(@(1,firstName),' ',@(1,lastName))",
            email: '=toLower',
            tagCount: '=size(@(1,tags))',
          },
        },
      },
      { operation: 'remove', spec: { profile: { firstName: '', lastName: '' } } },
      { operation: 'sort' },
    ],
    jsonata:
      '{ "profile": { "country": "BR", "email": $lowercase(user.email), "fullName": user.first & " " & user.last, "tagCount": $count(user.tags), "tags": user.tags ? [user.tags] : [] } }',
  },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeJolt(transform, input, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) transform(input);
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function timeJsonata(expr, input, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await expr.evaluate(input);
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

const rounds = Number(process.env.ROUNDS ?? 9);
const rows = [];
for (const s of scenarios) {
  const transform = compileChain(s.jolt);
  const expr = jsonata(s.jsonata);
  const a = transform(s.input);
  const b = JSON.parse(JSON.stringify(await expr.evaluate(s.input)));
  if (!isDeepStrictEqual(a, b))
    throw new Error(`${s.name}: outputs differ\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
  const n = s.name.startsWith('nested') ? 2_000 : 20_000;
  timeJolt(transform, s.input, n / 4);
  await timeJsonata(expr, s.input, n / 4);
  const jolt = [];
  const jsa = [];
  for (let r = 0; r < rounds; r++) {
    // Interleaved so that machine noise hits both variants alike.
    jolt.push(timeJolt(transform, s.input, n));
    jsa.push(await timeJsonata(expr, s.input, n));
  }
  const ratios = jolt.map((j, i) => j / jsa[i]);
  rows.push({
    scenario: s.name,
    joltPerSec: Math.round(median(jolt)),
    jsonataPerSec: Math.round(median(jsa)),
    ratio: median(ratios).toFixed(2),
  });
}

console.log(`node ${process.version}, ${rounds} interleaved rounds, medians`);
console.log('| scenario | JOLT transforms/s | JSONata evaluations/s | JOLT / JSONata |');
console.log('|---|---:|---:|---:|');
for (const r of rows)
  console.log(`| ${r.scenario} | ${r.joltPerSec} | ${r.jsonataPerSec} | ${r.ratio} |`);
