import { describe, expect, it } from 'vitest';
import { classifyChange } from '../../src/update/classify.ts';

describe('--update --dry-run: cosmetic or meaningful', () => {
  it('cosmetic: only IDs, digests, dates, relative times or sizes differ, in any written form', () => {
    expect(
      classifyChange(
        ['REPOSITORY  TAG  IMAGE ID      SIZE', 'flask  latest  a842945e2414  189.2 MB'],
        ['REPOSITORY  TAG  IMAGE ID      SIZE', 'flask  latest  0123456789ab  189MB'],
      ),
    ).toBe('cosmetic');
    expect(classifyChange(['Created 5 seconds ago'], ['Created 2 weeks ago'])).toBe('cosmetic');
    expect(classifyChange([`digest: sha256:${'a'.repeat(64)}`], [`digest: sha256:${'b'.repeat(64)}`])).toBe('cosmetic');
  });

  it('meaningful: a word changed, a line added or removed', () => {
    expect(classifyChange(['hola mundo'], ['hola, mundo'])).toBe('meaningful');
    expect(classifyChange(['a', '...'], ['a'])).toBe('meaningful');
    expect(classifyChange(['Unable to find image'], ['Unable to find image', 'latest: Pulling from library/busybox'])).toBe('meaningful');
  });
});
