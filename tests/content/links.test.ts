import { describe, expect, it } from 'vitest';
import { fileForPath, findLinkProblems, resolveInternal, scanHtml, urlPathOf } from '../../src/integrations/internal-links.ts';
import type { BuiltSite, ScannedPage } from '../../src/integrations/internal-links.ts';

/** A tiny built site: path → HTML. */
function check(pages: Record<string, string>, extraFiles: string[] = []) {
  const scanned = new Map<string, ScannedPage>();
  const site: BuiltSite = { files: new Set(extraFiles), ids: new Map() };
  for (const [file, html] of Object.entries(pages)) {
    const page = scanHtml(html);
    scanned.set(file, page);
    site.files.add(file);
    site.ids.set(file, page.ids);
  }
  return findLinkProblems(scanned, site);
}

describe('scanHtml', () => {
  it('finds a[href], img[src] and ids, decoding entities', () => {
    const page = scanHtml(
      `<h2 id="uno">Uno</h2><a class="x" href="/red/?a=1&amp;b=2#dos">x</a><IMG alt='d' SRC="/diagrams/a.svg"/>` +
        `<a name="legacy"></a><a>no href</a>`,
    );
    expect(page.links).toEqual([
      { tag: 'a', url: '/red/?a=1&b=2#dos' },
      { tag: 'img', url: '/diagrams/a.svg' },
    ]);
    expect([...page.ids].sort()).toEqual(['legacy', 'uno']);
  });

  it('is not fooled by `>` in attribute values, comments, scripts or escaped code', () => {
    const page = scanHtml(
      `<div data-code="a > b <a href='/nope/'>"></div><!-- <a href="/comment/"> -->` +
        `<script>document.write('<a href="/script/">')</script>` +
        `<pre><code>&lt;a href="/code/"&gt;</code></pre><a href="/yes/">ok</a>`,
    );
    expect(page.links).toEqual([{ tag: 'a', url: '/yes/' }]);
  });
});

describe('resolving links', () => {
  it('maps built files to the paths they are served at', () => {
    expect(urlPathOf('/index.html')).toBe('/');
    expect(urlPathOf('/en/red/index.html')).toBe('/en/red/');
    expect(urlPathOf('/404.html')).toBe('/404.html');
  });

  it('ignores links that leave the site', () => {
    for (const url of ['https://docs.docker.com/', 'http://localhost:1234', 'mailto:a@b.c', '//cdn.example/x.js', '']) {
      expect(resolveInternal(url, '/red/')).toBeNull();
    }
    expect(resolveInternal('../flask/#x', '/en/red/')?.href).toBe('http://site.invalid/en/flask/#x');
    expect(resolveInternal('#x', '/red/')?.pathname).toBe('/red/');
  });

  it('finds the file a static host would serve', () => {
    const files = new Set(['/red/index.html', '/diagrams/a b.svg', '/404.html']);
    expect(fileForPath('/red/', files)).toBe('/red/index.html');
    expect(fileForPath('/red', files)).toBe('/red/index.html');
    expect(fileForPath('/diagrams/a%20b.svg', files)).toBe('/diagrams/a b.svg');
    expect(fileForPath('/404', files)).toBe('/404.html');
    expect(fileForPath('/nada/', files)).toBeUndefined();
  });
});

describe('findLinkProblems', () => {
  const target = '<html><body><h2 id="capas">Capas</h2></body></html>';

  it('accepts links to existing pages, files and ids', () => {
    const problems = check(
      {
        '/index.html':
          '<a href="#_top">top</a><div id="_top"></div><a href="/capas-y-cache/#capas">ok</a>' +
          '<a href="capas-y-cache/">relative</a><img src="/diagrams/a.svg" alt="a">' +
          '<a href="http://localhost:1234">example</a><a href="https://example.org/#nope">out</a>',
        '/capas-y-cache/index.html': target,
      },
      ['/diagrams/a.svg'],
    );
    expect(problems).toEqual([]);
  });

  it('catches a link to a page that does not exist', () => {
    const problems = check({ '/index.html': '<a href="/capas-y-cahce/">typo</a>', '/capas-y-cache/index.html': target });
    expect(problems).toEqual([{ file: '/index.html', tag: 'a', url: '/capas-y-cahce/', reason: 'no page or file at /capas-y-cahce/' }]);
  });

  it('catches a broken #hash, on another page and on the same page', () => {
    const problems = check({
      '/en/index.html': '<a href="/capas-y-cache/#cache">x</a><a href="#nowhere">y</a>',
      '/capas-y-cache/index.html': target,
    });
    expect(problems.map((p) => [p.file, p.url, p.reason])).toEqual([
      ['/en/index.html', '/capas-y-cache/#cache', '/capas-y-cache/index.html has no element with id="cache"'],
      ['/en/index.html', '#nowhere', '/en/index.html has no element with id="nowhere"'],
    ]);
  });

  it('catches a missing image', () => {
    const problems = check({ '/red/index.html': '<img src="../diagrams/red.svg" alt="red">' });
    expect(problems).toEqual([
      { file: '/red/index.html', tag: 'img', url: '../diagrams/red.svg', reason: 'no page or file at /diagrams/red.svg' },
    ]);
  });
});
