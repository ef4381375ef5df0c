// The desk in a real browser (Debian's Chromium through playwright-core) against `npm start`'s
// built program on a temporary data directory: what each role sees, the board kept live over
// the api's stream, the story as the desk knows it, what it knew when, recording a fact.
// Every page is checked with axe-core and kept as a screenshot under artifacts/dashboard/.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SEED_IDS, SEED_STORY_EVENTS } from '@newsroom/domain';
import { get, postEvents } from '../../api/test/support/api.harness';
import { type Browser, keepScreenshot, launchBrowser, seriousA11yViolations } from './support/browser';
import { type CuttableProxy, startCuttableProxy } from './support/cuttable.proxy';
import { type DeskApi, startDeskApi } from './support/desk-api.program';

jest.setTimeout(60_000);

const TOKENS = {
  reader: 'desk-reader-token',
  writer: 'desk-writer-token',
  auditor: 'desk-auditor-token',
  editor: 'desk-editor-token',
  chief: 'desk-chief-token',
} as const;
const TOKENS_ENV = `${TOKENS.reader}=reader,${TOKENS.writer}=writer,${TOKENS.auditor}=auditor,${TOKENS.editor}=writer+reader,${TOKENS.chief}=writer+reader+auditor`;

const SEED = SEED_IDS.storyId;

let dataDir: string;
let api: DeskApi;
let proxy: CuttableProxy;
let browser: Browser;
/** Where the browser opens the desk: the api behind a relay the tests can cut. */
let desk: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'newsroom-desk-'));
  api = await startDeskApi({ dataDir, tokens: TOKENS_ENV });
  proxy = await startCuttableProxy({ host: '127.0.0.1', port: api.port });
  desk = proxy.url;
  browser = await launchBrowser();
  const seeded = await postEvents(api, SEED, [...SEED_STORY_EVENTS], { token: TOKENS.writer });
  expect(seeded.status).toBe(201);
}, 90_000);

afterAll(async () => {
  const timed = async (what: string, step: () => Promise<void> | undefined): Promise<void> => {
    const started = Date.now();
    await step();
    if (Date.now() - started > 5_000) console.warn(`${what} took ${Date.now() - started} ms`);
  };
  await timed('closing the browser', () => browser?.close());
  await timed('closing the relay', () => proxy?.close());
  await timed('stopping the api', () => api?.stop());
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function signedIn(token: string, route = '/'): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${desk}/#${route}`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

async function expectAccessible(page: Page, name: string): Promise<void> {
  await keepScreenshot(page, name);
  expect({ page: name, violations: await seriousA11yViolations(page) }).toEqual({ page: name, violations: [] });
}

function boardRow(page: Page, storyId: string) {
  return page.locator(`table.board tbody tr[data-story-id="${storyId}"]`);
}

/** A one-claim story about `company`, as a tool would post it. */
function reportAbout(reportId: string, company: string, headline: string) {
  return {
    type: 'ReportPublished',
    data: {
      reportId,
      outlet: 'Desk Test Wire',
      headline,
      language: 'en',
      publishedAt: '2025-02-01T08:00:00Z',
      claims: [{ claimId: `${reportId}-claim`, statement: `${headline}.`, about: [company] }],
    },
  };
}

describe('signing in', () => {
  it('tells a wrong token so, and keeps the token out of the url', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${desk}/`);
    await expectAccessible(page, 'sign-in');
    await expect(page.getByLabel('Access token').getAttribute('type')).resolves.toBe('password');
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not accepted');
    await keepScreenshot(page, 'sign-in-refused');
    expect(page.url()).not.toContain('not-a-token');
    await page.close();
  });

  it('shows a reader the board and stories, not the audit or the forms', async () => {
    const page = await signedIn(TOKENS.reader);
    await boardRow(page, SEED).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['Board']);
    expect(page.url()).not.toContain(TOKENS.reader);
    await expect(page.evaluate('sessionStorage.getItem("newsroom.token")')).resolves.toBe(TOKENS.reader);
    await page.goto(`${desk}/#/stories/${SEED}`);
    await page.getByRole('heading', { level: 2, name: 'Claims' }).waitFor();
    await expect(page.getByRole('link', { name: /Audit/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: /Record a fact/ }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    await expect(page.evaluate('sessionStorage.getItem("newsroom.token")')).resolves.toBeNull();
    await page.close();
  });

  it('shows an auditor the audit, and a writer the forms but not the board', async () => {
    const auditor = await signedIn(TOKENS.auditor);
    await expect(auditor.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).resolves.toEqual(['Board', 'Views']);
    await auditor.goto(`${desk}/#/stories/${SEED}`);
    await auditor.getByRole('link', { name: /Audit/ }).waitFor();
    await auditor.close();

    const writer = await signedIn(TOKENS.writer);
    await expect(writer.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).resolves.toEqual(['Record a fact']);
    await expect(writer.locator('table.board').count()).resolves.toBe(0);
    await writer.getByRole('heading', { name: 'Record facts' }).waitFor();
    await expectAccessible(writer, 'writer-home');
    await writer.close();
  });

  it('works from the keyboard alone: sign in, reach a story, open it', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${desk}/`);
    await page.getByLabel('Access token').waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('token');
    await page.keyboard.type(TOKENS.reader);
    await page.keyboard.press('Enter');
    await boardRow(page, SEED).waitFor();
    // Skip link first, then on through the page until the seed story's link has the focus.
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('Skip to content');
    let focused = '';
    for (let step = 0; step < 40 && focused !== SEED; step++) {
      await page.keyboard.press('Tab');
      focused = String(await page.evaluate('document.activeElement.closest("tr")?.dataset.storyId ?? ""'));
    }
    expect(focused).toBe(SEED);
    await page.keyboard.press('Enter');
    await page.locator(`article.story[data-story-id="${SEED}"]`).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/stories/${SEED}`);
    await page.close();
  });
});

describe('the board', () => {
  it('lists the seed story posted over HTTP with its claim denied', async () => {
    const page = await signedIn(TOKENS.reader);
    const row = boardRow(page, SEED);
    await row.waitFor();
    await expect(row.locator('[data-status]').allTextContents()).resolves.toEqual(['✕ denied']);
    await expect(row.textContent()).resolves.toContain('Financial Times');
    await expect(page.getByRole('table', { name: /Stories, newest first/ }).count()).resolves.toBe(1);
    await expectAccessible(page, 'board');
    await page.setViewportSize({ width: 390, height: 844 });
    await keepScreenshot(page, 'board-narrow');
    await page.close();
  });

  it('shows a story posted over HTTP within 2 s, without a reload', async () => {
    const page = await signedIn(TOKENS.reader);
    await boardRow(page, SEED).waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.evaluate('window.notReloaded = true');
    const posted = await postEvents(api, 'desk-live-story', reportAbout('live-report', 'acme', 'Acme weighs a sale of its bus unit'), { token: TOKENS.writer });
    expect(posted.status).toBe(201);
    await boardRow(page, 'desk-live-story').waitFor({ timeout: 2_000 });
    await expect(page.evaluate('window.notReloaded')).resolves.toBe(true);
    // Newest first: the new story heads the board.
    await expect(page.locator('table.board tbody tr').first().getAttribute('data-story-id')).resolves.toBe('desk-live-story');
    await page.close();
  });

  it('says it is reconnecting when the connection drops, and resumes with Last-Event-ID once it is back', async () => {
    const page = await signedIn(TOKENS.reader);
    await boardRow(page, SEED).waitFor();
    const live = page.locator('[data-live-state]');
    await page.locator('[data-live-state="live"]').waitFor();
    // A change seen live gives the page an event id to resume from.
    expect(
      (await postEvents(api, 'desk-seen-story', reportAbout('seen-report', 'acme', 'Acme opens a plant in Cikarang'), { token: TOKENS.writer })).status,
    ).toBe(201);
    await boardRow(page, 'desk-seen-story').waitFor();
    await page.evaluate('window.notReloaded = true');
    const headsBefore = proxy.requestHeads.length;

    proxy.cut();
    await page.locator('[data-live-state="reconnecting"]').waitFor({ timeout: 5_000 });
    await expect(live.textContent()).resolves.toContain('Reconnecting');
    await keepScreenshot(page, 'board-reconnecting');
    // Recorded while the page was cut off.
    expect(
      (await postEvents(api, 'desk-missed-story', reportAbout('missed-report', 'acme', 'Acme names a new chief executive'), { token: TOKENS.writer })).status,
    ).toBe(201);
    proxy.restore();

    await boardRow(page, 'desk-missed-story').waitFor({ timeout: 10_000 });
    await page.locator('[data-live-state="live"]').waitFor();
    await expect(page.evaluate('window.notReloaded')).resolves.toBe(true);
    const reconnects = proxy.requestHeads.slice(headsBefore).filter((head) => head.startsWith('GET /stream'));
    expect(reconnects.length).toBeGreaterThan(0);
    expect(reconnects.at(-1)).toMatch(/\r\nlast-event-id: \d+\.\d+/i);
    await page.close();
  });

  it('keeps its filters in the url, so a view can be shared', async () => {
    const page = await signedIn(TOKENS.reader, '/?status=denied');
    await boardRow(page, SEED).waitFor();
    await expect(page.locator('table.board tbody tr').count()).resolves.toBe(1);
    await expect(page.getByLabel('Claim status').inputValue()).resolves.toBe('denied');
    await page.getByLabel('Claim status').selectOption('reported');
    await page.getByRole('button', { name: 'Filter' }).click();
    await boardRow(page, 'desk-live-story').waitFor();
    expect(new URL(page.url()).hash).toBe('#/?status=reported');
    await expect(boardRow(page, SEED).count()).resolves.toBe(0);
    await page.close();
  });
});

describe('the story page', () => {
  it('shows the FT report and its Indonesian follow-up, 4 anonymous sources, both denials with their quotes and languages', async () => {
    const page = await signedIn(TOKENS.reader, `/stories/${SEED}`);
    const reports = page.locator('table.reports tbody tr');
    await reports.first().waitFor();
    await expect(reports.count()).resolves.toBe(2);
    await expect(reports.nth(0).textContent()).resolves.toContain('Financial Times');
    await expect(reports.nth(1).textContent()).resolves.toContain('Contoh Berita');
    await expect(reports.nth(1).locator('[lang="id"]').first().textContent()).resolves.toContain('Ford dan Xiaomi membantah');
    const claim = page.locator(`section.claim[data-claim-id="${SEED_IDS.claimId}"]`);
    await expect(claim.getAttribute('data-status')).resolves.toBe('denied');
    await expect(claim.locator('.sources [data-kind="anonymous"]').textContent()).resolves.toBe('anonymous: 4 people');
    const ford = claim.locator('.stances > li[data-company-id="ford"]');
    const xiaomi = claim.locator('.stances > li[data-company-id="xiaomi"]');
    await expect(ford.locator('strong').textContent()).resolves.toBe('denied');
    await expect(xiaomi.locator('strong').textContent()).resolves.toBe('denied');
    await expect(ford.locator('q[lang="en"]').textContent()).resolves.toBe('The report is incorrect.');
    await expect(xiaomi.locator('q[lang="id"]').textContent()).resolves.toContain('Xiaomi tidak sedang bernegosiasi');
    // The picture: one mark per event, labelled, with a title and a description.
    const chart = page.getByRole('img', { name: /The story over time/ });
    await expect(chart.locator('g.mark').count()).resolves.toBe(SEED_STORY_EVENTS.length);
    await expect(chart.locator('desc').textContent()).resolves.toContain('5 events');
    await expectAccessible(page, 'story');
    await page.setViewportSize({ width: 390, height: 844 });
    await keepScreenshot(page, 'story-narrow');
    await page.close();
  });

  it('shows a company’s denials across stories', async () => {
    const page = await signedIn(TOKENS.reader, '/companies/xiaomi');
    await page.getByRole('heading', { level: 1, name: 'Xiaomi' }).waitFor();
    const denial = page.locator(`section[aria-labelledby="denials-heading"] tr[data-story-id="${SEED}"]`);
    await expect(denial.locator('q[lang="id"]').textContent()).resolves.toContain('tidak beroperasi di pasar AS');
    await expectAccessible(page, 'company');
    await page.close();
  });
});

describe('the audit', () => {
  it('shows the claim reported as of the revision before the denials, with what changed since marked', async () => {
    const page = await signedIn(TOKENS.auditor, `/stories/${SEED}/audit`);
    await page
      .locator('table.history tbody tr')
      .nth(SEED_STORY_EVENTS.length - 1)
      .waitFor();
    await expect(page.locator('table.history tbody tr').count()).resolves.toBe(SEED_STORY_EVENTS.length);
    await page.getByLabel('At revision').fill('2');
    await page.getByRole('button', { name: 'Show as of then' }).click();
    const then = page.locator('.as-of-story');
    await then.waitFor();
    const claim = then.locator(`section.claim[data-claim-id="${SEED_IDS.claimId}"]`);
    await expect(claim.getAttribute('data-status')).resolves.toBe('reported');
    await expect(claim.getAttribute('class')).resolves.toContain('changed-since');
    await expect(then.locator('.changed-list').textContent()).resolves.toContain('reported then, denied now');
    expect(new URL(page.url()).hash).toBe(`#/stories/${SEED}/audit?atRevision=2`);
    await page.getByRole('heading', { name: 'The views' }).waitFor();
    await page.locator('.facts').waitFor();
    await expectAccessible(page, 'audit');
    await page.close();
  });

  it("shows the views' position, lag and digest", async () => {
    const page = await signedIn(TOKENS.auditor, '/views');
    const facts = page.locator('dl.facts');
    await facts.waitFor();
    const status = await get(api, '/admin/projections', TOKENS.auditor);
    await expect(facts.textContent()).resolves.toContain('live (caught up)');
    // Nothing is recorded meanwhile: the page shows the digest the api gives.
    await expect(facts.locator('dd.mono').textContent()).resolves.toBe(status.body.digest);
    await expectAccessible(page, 'views');
    await page.close();
  });
});

describe('recording a fact', () => {
  it('records a denial through the form, once for a double click, and the board changes', async () => {
    const storyId = 'desk-form-story';
    expect((await postEvents(api, storyId, reportAbout('form-report', 'globex', 'Globex plans a plant in Surabaya'), { token: TOKENS.writer })).status).toBe(
      201,
    );
    const board = await signedIn(TOKENS.editor);
    const row = boardRow(board, storyId);
    await row.locator('[data-status="reported"]').waitFor();

    const form = await signedIn(TOKENS.editor, `/stories/${storyId}/record`);
    await form.getByText('the form records on revision 0').waitFor();
    await expect(form.getByLabel('What happened').inputValue()).resolves.toBe('CompanyDenied');
    await form.getByLabel('Company id').fill('globex');
    await form.getByLabel('Company name').fill('Globex');
    await form.getByLabel(/^Statement/).fill('Kami tidak punya rencana membangun pabrik di Surabaya.');
    await form.getByLabel('Language (BCP 47)').fill('id');
    await form.getByLabel('Claims it refutes').fill('form-report-claim');
    await expectAccessible(form, 'record');
    await form.getByRole('button', { name: 'Record' }).dblclick();
    await form.getByRole('status').filter({ hasText: 'Recorded' }).waitFor();

    await row.locator('[data-status="denied"]').waitFor({ timeout: 5_000 });
    const history = await get(api, `/stories/${storyId}/history`, TOKENS.auditor);
    expect((history.body.events as { type: string }[]).map((event) => event.type)).toEqual(['ReportPublished', 'CompanyDenied']);
    await keepScreenshot(board, 'board-after-recording');
    await board.close();
    await form.close();
  });

  it('opens a new story with a published report, claim and all', async () => {
    const page = await signedIn(TOKENS.editor, '/record');
    await expect(page.getByLabel('What happened').inputValue()).resolves.toBe('ReportPublished');
    await page.getByLabel('Story id').fill('desk-new-story');
    await page.getByLabel('Report id').fill('kompas-1');
    await page.getByLabel('Outlet').fill('Contoh Harian');
    await page.getByLabel('Headline').fill('Pabrik baterai baru di Batang');
    await page.getByLabel('Language (BCP 47)').fill('id');
    await page.getByLabel('Claim id').fill('batang-plant');
    await page.getByLabel('Claim statement').fill('Umbrella Corp akan membangun pabrik baterai di Batang.');
    await page.getByLabel('Claim about (company ids)').fill('umbrella');
    await expect(page.getByLabel('Claim statement').getAttribute('lang')).resolves.toBe('id');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByRole('status').filter({ hasText: 'Recorded: the story is at revision 0' }).waitFor();
    const story = await get(api, '/stories/desk-new-story', TOKENS.reader);
    expect(story.body.claims).toEqual([expect.objectContaining({ claimId: 'batang-plant', about: ['umbrella'], status: 'reported', language: 'id' })]);
    await page.close();
  });

  it('shows the server’s message beside the field it names', async () => {
    const page = await signedIn(TOKENS.editor, `/stories/${SEED}/record`);
    await page.getByText(/the form records on revision/).waitFor();
    await page.getByLabel('Company id').fill('ford');
    await page.getByLabel('Company name').fill('Ford Motor Company');
    await page.getByLabel(/^Statement/).fill('No comment.');
    await page.getByLabel('Language (BCP 47)').fill('not a language');
    await page.getByLabel('Claims it refutes').fill(SEED_IDS.claimId);
    await page.getByRole('button', { name: 'Record' }).click();
    const field = page.locator('.field', { has: page.getByLabel('Language (BCP 47)') });
    await field.locator('.field-error').waitFor();
    // The words are the api's own: the same post over HTTP gets them for /data/language.
    const direct = await postEvents(
      api,
      SEED,
      {
        type: 'CompanyDenied',
        data: {
          companyId: 'ford',
          companyName: 'Ford Motor Company',
          statement: 'No comment.',
          language: 'not a language',
          deniedAt: '2025-01-08T00:00:00Z',
          refutes: [SEED_IDS.claimId],
        },
      },
      { token: TOKENS.writer },
    );
    expect(direct.status).toBe(400);
    const detail = (direct.body.errors as { pointer: string; detail: string }[]).find((error) => error.pointer === '/data/language')!.detail;
    await expect(field.locator('.field-error').textContent()).resolves.toBe(detail);
    await expect(page.getByLabel('Language (BCP 47)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, 'record-refused');
    await page.close();
  });

  it('tells a stale form that the story changed (412), and records once reloaded', async () => {
    const storyId = 'desk-stale-story';
    expect((await postEvents(api, storyId, reportAbout('stale-report', 'initech', 'Initech to list in Jakarta'), { token: TOKENS.writer })).status).toBe(201);
    const page = await signedIn(TOKENS.editor, `/stories/${storyId}/record`);
    await page.getByText('the form records on revision 0').waitFor();
    // Someone else records on the story while the form is open.
    expect(
      (
        await postEvents(
          api,
          storyId,
          { type: 'ReportCorrected', data: { reportId: 'stale-report', correction: 'The listing is in 2026.', correctedAt: '2025-02-02T08:00:00Z' } },
          { token: TOKENS.writer },
        )
      ).status,
    ).toBe(201);
    await page.getByLabel('Company id').fill('initech');
    await page.getByLabel('Company name').fill('Initech');
    await page.getByLabel(/^Statement/).fill('We have no plan to list.');
    await page.getByLabel('Claims it refutes').fill('stale-report-claim');
    await page.getByRole('button', { name: 'Record' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The story changed: reload' });
    await alert.waitFor();
    await keepScreenshot(page, 'record-stale');
    await alert.getByRole('button', { name: 'Reload the story' }).click();
    await page.getByText('the form records on revision 1').waitFor();
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByRole('status').filter({ hasText: 'Recorded: the story is at revision 2' }).waitFor();
    await page.close();
  });
});
