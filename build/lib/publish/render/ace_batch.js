#!/usr/bin/env node
// DAISY Ace for a batch of EPUBs in one Node process and ONE headless browser.
//
// Ace's own CLI (`ace-puppeteer book.epub`) checks one EPUB per run and starts
// and stops Chromium for each. This driver calls Ace's Node API
// (@daisy/ace-core) with Ace's own puppeteer runner
// (@daisy/ace-axe-runner-puppeteer), wrapped so that ace-core's per-book
// launch() starts the browser only the first time and its per-book close()
// does nothing; the browser is closed once, after the last book. The rules,
// the axe-core build and the report are exactly Ace's.
//
// Input: a JSON array of EPUB paths on stdin, or the paths as arguments.
// Options: --jobs N (books checked at the same time in the one browser;
// default 2). Output: one JSON line per book on stdout, in input order:
//   {"epub": path, "report": {...}}   Ace's report without its bulky parts
//                                     (data, outlines), or
//   {"epub": path, "error": "..."}    Ace could not check the book.
// Then one line {"done": true, "ace": version}.
// Exit 0 when every book got a line (whatever Ace found), 1 when the browser
// could not start or the input was wrong. Logs (warnings only) go to stderr.
//
// Environment: PUPPETEER_EXECUTABLE_PATH (e.g. /usr/bin/chromium) is read by
// puppeteer; Ace's runner already passes --no-sandbox and
// --disable-setuid-sandbox, which Chromium needs when run as root.
'use strict';

const path = require('path');

const corePath = require.resolve('@daisy/ace-core');
const ace = require(corePath);
const runner = require('@daisy/ace-axe-runner-puppeteer');
// ace-core logs through winston's default logger: the same module instance.
const winston = require(require.resolve('winston', { paths: [corePath] }));
const acePackage = require('@daisy/ace-core/package.json');

winston.configure({
  level: 'warn',
  transports: [new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) })],
});

// ace-core prints each report to stdout when no outdir is given; keep stdout
// for this driver's JSON lines only.
const writeOut = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, encoding, callback) => {
  if (typeof encoding === 'function') encoding();
  else if (typeof callback === 'function') callback();
  return true;
};
// ace-core's runner logs Chromium failures with console.log: to stderr too.
console.log = (...args) => console.error(...args);

let launching = null;
const sharedRunner = {
  concurrency: runner.concurrency,
  setTimeout: ms => runner.setTimeout(ms),
  launch: () => (launching = launching || runner.launch()),
  close: async () => {},
  run: (...args) => runner.run(...args),
};

const KEEP = ['earl:result', 'earl:assertedBy', 'earl:testSubject', 'assertions', 'a11y-metadata', 'properties'];

function slim(report) {
  const kept = {};
  for (const key of KEEP) if (key in report) kept[key] = report[key];
  return kept;
}

function parseArguments(argv) {
  let jobs = 2;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--jobs') jobs = parseInt(argv[++i], 10);
    else files.push(argv[i]);
  }
  if (!(jobs >= 1)) throw new Error('--jobs needs a positive number');
  return { jobs, files };
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', chunk => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

async function checkOne(epub) {
  try {
    const [, report] = await ace(path.resolve(epub), { cwd: process.cwd(), silent: true, initLogger: false }, sharedRunner);
    return { epub, report: slim(report) };
  } catch (error) {
    const text = error && error.message ? error.message : String(error);
    return { epub, error: text || `Ace could not check ${epub}` };
  }
}

async function main() {
  const { jobs, files: named } = parseArguments(process.argv.slice(2));
  const files = named.length ? named : JSON.parse(await readStdin() || '[]');
  if (!Array.isArray(files)) throw new Error('stdin must be a JSON array of EPUB paths');
  // Start the browser before any book, so that a missing or broken Chromium
  // is one clear failure rather than one error per book.
  await sharedRunner.launch();
  const results = new Array(files.length);
  let next = 0;
  let written = 0;
  const flush = () => {
    while (written < files.length && results[written] !== undefined) {
      writeOut(JSON.stringify(results[written]) + '\n');
      written++;
    }
  };
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      results[index] = await checkOne(files[index]);
      flush();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  } finally {
    await runner.close();
    writeOut(JSON.stringify({ done: true, ace: acePackage.version }) + '\n');
  }
}

main().then(() => process.exit(0), error => {
  console.error(`ace_batch: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
