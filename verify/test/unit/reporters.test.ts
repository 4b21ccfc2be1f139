import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/model/report.ts';
import { JsonReporter } from '../../src/report/json-reporter.ts';
import { JunitReporter } from '../../src/report/junit-reporter.ts';
import { deliver, type Reporter } from '../../src/report/events.ts';
import { createReporters, parseReporterSpec, REPORTERS, ReporterSpecError } from '../../src/report/reporters.ts';

const cli = path.join(import.meta.dirname, '../../src/cli.ts');
/** Starting the CLI takes a second alone, several on a busy machine. */
const CLI_MS = 60_000;

// A page no block of which needs an engine: one display-only block, one that cannot be read.
const page = ['# A page', '', '```php', '<?php echo 1;', '```', '', '```console verify-timout=5', '$ true', '```', ''].join('\n');

describe('reporter hooks', () => {
  it('hands each event to its own hook, then to onEvent; a reporter implements only what it needs', async () => {
    const seen: string[] = [];
    const reporter: Reporter = {
      onBlockEnd: (e) => void seen.push(`block-end ${e.result.line}`),
      onPageError: (e) => void seen.push(`page-error ${e.message}`),
      onEvent: (e) => void seen.push(`event ${e.type}`),
    };
    await deliver(reporter, { type: 'log', message: 'hi' });
    await deliver(reporter, { type: 'page-error', file: 'a.md', message: 'a.md:99: no code block at that line' });
    expect(seen).toEqual(['event log', 'page-error a.md:99: no code block at that line', 'event page-error']);
    await deliver({}, { type: 'log', message: 'nobody listens' });
  });
});

describe('reporters by name', () => {
  it('reads name=file, relative to the working directory', () => {
    expect(parseReporterSpec('json=out/r.json', '/work')).toEqual({ name: 'json', file: '/work/out/r.json' });
    expect(parseReporterSpec('junit=/tmp/r.xml', '/work')).toEqual({ name: 'junit', file: '/tmp/r.xml' });
    expect(Object.keys(REPORTERS)).toEqual(['json', 'junit']);
  });

  it('builds one reporter per spec, in order', () => {
    const made = createReporters(['junit=a.xml', 'json=a.json', 'json=b.json'], '/work');
    expect(made.map((r) => r.constructor)).toEqual([JunitReporter, JsonReporter, JsonReporter]);
  });

  it('refuses an unknown name or a missing file, saying what it knows', () => {
    expect(() => parseReporterSpec('xml=out.xml', '/work')).toThrow(ReporterSpecError);
    expect(() => parseReporterSpec('xml=out.xml', '/work')).toThrow('unknown reporter `xml` (known: json=FILE, junit=FILE)');
    expect(() => parseReporterSpec('toString=x', '/work')).toThrow('unknown reporter `toString`');
    expect(() => parseReporterSpec('junit', '/work')).toThrow('--reporter junit=out.xml');
    expect(() => parseReporterSpec('json=', '/work')).toThrow('--reporter json=out.json');
  });

  it(
    'through the CLI: --reporter is repeatable and --report/--junit still work, without an engine',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'curso-reporters-'));
      writeFileSync(path.join(dir, 'page.md'), page);
      const run = await execa(
        process.execPath,
        [
          cli,
          '--no-color',
          '--no-snapshot',
          '--reporter',
          'json=a.json',
          '--reporter',
          'junit=a.xml',
          '--report',
          'b.json',
          '--junit',
          'b.xml',
          'page.md',
        ],
        { cwd: dir, reject: false, all: true, env: { INIT_CWD: dir } },
      );
      expect(run.exitCode, run.all).toBe(2); // the unreadable block is an error
      const [a, b] = ['a.json', 'b.json'].map((f) => ReportSchema.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
      expect(a!.blocks.map((x) => [x.line, x.status])).toEqual([
        [3, 'skipped'],
        [7, 'error'],
      ]);
      expect(b!.blocks).toEqual(a!.blocks);
      const parse = (f: string) =>
        new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(path.join(dir, f), 'utf8'));
      for (const f of ['a.xml', 'b.xml']) {
        expect(parse(f).testsuites, f).toMatchObject({ name: 'curso-verify', tests: '2', skipped: '1', errors: '1' });
      }
    },
    CLI_MS,
  );

  it(
    'through the CLI: an unknown reporter is bad input (exit 2), before anything runs',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'curso-reporters-'));
      writeFileSync(path.join(dir, 'page.md'), page);
      const run = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', '--reporter', 'html=a.html', 'page.md'], {
        cwd: dir,
        reject: false,
        all: true,
        env: { INIT_CWD: dir },
      });
      expect(run.exitCode).toBe(2);
      expect(run.all).toBe('curso-verify: --reporter html=a.html: unknown reporter `html` (known: json=FILE, junit=FILE)');
    },
    CLI_MS,
  );
});
