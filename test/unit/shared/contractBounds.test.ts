// Every string a page may send through the contract has a maximum length (issue 13.9): walks each
// channel's request schema, so a new unbounded field fails here, not in production.
import { describe, expect, it } from 'vitest';
import { channels, parseRequest, type ChannelName } from '#shared/contract';

interface Node {
  _zod: { def: Record<string, unknown> & { type: string } };
  maxLength?: number | null;
}

/** Paths of the string fields without a maximum length inside `schema`. */
function unboundedStrings(schema: Node, path: string): string[] {
  const def = schema._zod.def;
  switch (def.type) {
    case 'string':
      return schema.maxLength == null ? [path] : [];
    case 'object':
      return Object.entries(def.shape as Record<string, Node>).flatMap(([key, field]) => unboundedStrings(field, `${path}.${key}`));
    case 'array':
      return unboundedStrings(def.element as Node, `${path}[]`);
    case 'tuple':
      return (def.items as Node[]).flatMap((item, i) => unboundedStrings(item, `${path}[${i}]`));
    case 'record':
      return [...unboundedStrings(def.keyType as Node, `${path}{key}`), ...unboundedStrings(def.valueType as Node, `${path}{}`)];
    case 'union':
      return (def.options as Node[]).flatMap((option) => unboundedStrings(option, path));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return unboundedStrings(def.innerType as Node, path);
    case 'pipe':
      return unboundedStrings(def.in as Node, path);
    default:
      return [];
  }
}

describe('contract request strings', () => {
  it('all have a maximum length', () => {
    const found = (Object.keys(channels) as ChannelName[]).flatMap((name) =>
      unboundedStrings(channels[name].request as unknown as Node, name),
    );
    expect(found).toEqual([]);
  });

  it('refuses an over-long token, address, password or id with a clear error', () => {
    const long = 'x'.repeat(5000);
    expect(() => parseRequest('settings.saveProfile', { name: 'p', serverAddress: 'http://h', apiToken: long })).toThrow(/apiToken/);
    expect(() => parseRequest('settings.testConnection', { serverAddress: long })).toThrow(/serverAddress/);
    expect(() => parseRequest('users.create', { login: 'a', password: long })).toThrow(/password/);
    expect(() => parseRequest('settings.deleteProfile', { id: long })).toThrow(/id/);
    expect(() => parseRequest('outbox.list', { batchId: long })).toThrow(/batchId/);
  });
});
