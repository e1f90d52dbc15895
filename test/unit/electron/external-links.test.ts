// What a page may hand to the system browser: https opens, plain http only after the user confirms
// its host, every other scheme (file:, javascript:, data:, custom ones that start programs) is refused.
import { describe, expect, it } from 'vitest';
import { createLinkOpener, externalLinkDecision } from '../../../main/electron/external-links';

function opener(answer: boolean) {
  const opened: string[] = [];
  const asked: Array<[string, string]> = [];
  const logs: string[] = [];
  const open = createLinkOpener({
    openExternal: async (url) => {
      opened.push(url);
    },
    confirmPlainHttp: async (url, host) => {
      asked.push([url, host]);
      return answer;
    },
    log: (line) => logs.push(line),
  });
  return { open, opened, asked, logs };
}

describe('externalLinkDecision', () => {
  it('opens https, asks for plain http naming its host (with the port), refuses the rest', () => {
    expect(externalLinkDecision('https://docs.supervisely.com/labeling/jobs')).toEqual({
      action: 'open',
      url: 'https://docs.supervisely.com/labeling/jobs',
    });
    expect(externalLinkDecision('HTTP://Wiki.Example.test:8081/lemons')).toEqual({
      action: 'ask',
      url: 'http://wiki.example.test:8081/lemons',
      host: 'wiki.example.test:8081',
    });
    const refused = [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vscode://file/etc/passwd',
      'ms-settings:privacy',
      'smb://attacker.example/share',
      'app://ljd/index.html',
      'mailto:a@b.example',
      'ftp://files.example/x',
      'not a url',
      '',
    ];
    for (const url of refused) expect(externalLinkDecision(url).action, url).toBe('refuse');
  });

  it('refuses credentials in the address and control characters the URL parser would drop', () => {
    expect(externalLinkDecision('https://app.supervisely.com@evil.example/')).toMatchObject({ action: 'refuse', reason: /user name/ });
    expect(externalLinkDecision('https://user:pw@example.com/')).toMatchObject({ action: 'refuse' });
    expect(externalLinkDecision('java\tscript:alert(1)')).toMatchObject({ action: 'refuse', reason: /control/ });
    expect(externalLinkDecision('https://exa\nmple.com/')).toMatchObject({ action: 'refuse', reason: /control/ });
    expect(externalLinkDecision('javascript:alert(1)')).toMatchObject({ reason: /not javascript:/ });
  });
});

describe('createLinkOpener', () => {
  it('opens https at once and never asks', async () => {
    const o = opener(false);
    expect(await o.open('https://example.com/a?b=1')).toBe('opened');
    expect(o.opened).toEqual(['https://example.com/a?b=1']);
    expect(o.asked).toEqual([]);
  });

  it('opens plain http only when the user confirms', async () => {
    const no = opener(false);
    expect(await no.open('http://wiki.example.test/x')).toBe('declined');
    expect(no.asked).toEqual([['http://wiki.example.test/x', 'wiki.example.test']]);
    expect(no.opened).toEqual([]);
    const yes = opener(true);
    expect(await yes.open('http://wiki.example.test/x')).toBe('opened');
    expect(yes.opened).toEqual(['http://wiki.example.test/x']);
  });

  it('refuses other schemes without asking, and logs why', async () => {
    const o = opener(true);
    for (const url of ['file:///C:/Windows/System32/calc.exe', 'javascript:alert(1)', 'vscode://x', 'data:,x']) {
      expect(await o.open(url), url).toBe('refused');
    }
    expect(o.opened).toEqual([]);
    expect(o.asked).toEqual([]);
    expect(o.logs).toHaveLength(4);
    expect(o.logs[0]).toMatch(/refused to open "file:\/\/\/C:\/Windows.*not file:/);
  });

  it('answers failed (never throws) when the system cannot open the link', async () => {
    const logs: string[] = [];
    const open = createLinkOpener({
      openExternal: async () => {
        throw new Error('no handler');
      },
      confirmPlainHttp: async () => true,
      log: (line) => logs.push(line),
    });
    expect(await open('https://example.com/')).toBe('failed');
    expect(logs.join('\n')).toMatch(/could not open https:\/\/example.com\/: Error: no handler/);
  });
});
