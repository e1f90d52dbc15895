import { describe, expect, it } from 'vitest';
import { apiBaseUrl, hasScheme, normaliseServerAddress, withOriginOf } from '../../../main/supervisely/address';

describe('server address normalisation (supervisely-api.md §1.1)', () => {
  it.each([
    ['https://app.supervisely.com', 'https://app.supervisely.com'],
    ['https://app.supervisely.com/', 'https://app.supervisely.com'],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['/127.0.0.1:8080//', 'http://127.0.0.1:8080'],
    ['  http://host:1/  ', 'http://host:1'],
    ['HTTPS://Example.org', 'HTTPS://Example.org'],
    ['sly.example.org/base/', 'http://sly.example.org/base'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseServerAddress(input)).toBe(expected);
  });

  it('refuses an empty address with a readable message', () => {
    expect(() => normaliseServerAddress(' / ')).toThrow(/server address is empty/);
  });

  it('builds {server}/public/api/v3/, or {api server}/v3/ when one is configured', () => {
    expect(apiBaseUrl('app.supervisely.com/')).toBe('http://app.supervisely.com/public/api/v3/');
    expect(apiBaseUrl('https://a.b', 'https://api.a.b/')).toBe('https://api.a.b/v3/');
  });
});

describe('scheme rules', () => {
  it.each([
    ['app.supervisely.com', false],
    ['127.0.0.1:8080', false],
    ['https://a.b', true],
    [' HTTP://a.b', true],
    ['/http://a.b', true],
  ])('hasScheme(%j) is %s', (address, expected) => {
    expect(hasScheme(address)).toBe(expected);
  });

  it('moves an address to the scheme and port of a switched base URL, keeping its path', () => {
    expect(withOriginOf('http://sly.example.org/base', 'https://sly.example.org/base/public/api/v3/')).toBe('https://sly.example.org/base');
    expect(withOriginOf('http://127.0.0.1:8080', 'https://127.0.0.1:8443/public/api/v3/')).toBe('https://127.0.0.1:8443');
  });
});
