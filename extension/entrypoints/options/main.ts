/**
 * Options: server address, sign-in with the organisation, token, display name, default group,
 * language, open PDFs automatically, the meeting portals, and "Hent mine data" (own-data-section.ts). A field the organisation's policy
 * sets is locked and says so; with `ssoOnly` there is no token field. A policy change shows at once.
 */
import '../../styles/design.css';
import './style.css';
import { browser } from 'wxt/browser';
import { createAccountSection } from '../../auth/account-section.ts';
import { browserAuthPlatform, pageAccessDeps, watchSignIn } from '../../auth/browser-auth.ts';
import { type Messages, messages } from '../../i18n/messages.ts';
import { problemOf } from '../../i18n/problems.ts';
import { SITES_CHANGED } from '../../messaging/background-requests.ts';
import {
  applyPolicy,
  type Language,
  loadPolicy,
  loadUserSettings,
  lockedFields,
  normaliseServerUrl,
  type Settings,
  saveSettings,
} from '../../settings/settings.ts';
import { fetchMe } from '../../sync/server-api.ts';
import { h } from '../../utils/dom.ts';
import { createNameField } from './name-field.ts';
import { createNotificationSettings } from './notification-settings.ts';
import { createOwnDataSection } from './own-data-section.ts';
import { describeBy, lockField, organisationNote } from './policy-notes.ts';
import { createSitesField } from './sites-field.ts';

function field(id: string, label: string, input: HTMLElement): HTMLElement {
  input.id = id;
  return h('p', { class: 'field' }, h('label', { for: id }, label), input);
}

/**
 * The form in the language in use. `shownStatus`: what the status line said before the form was
 * built anew; `relabel`: asked for when a save changed the language, with what to say then.
 */
async function buildForm(shownStatus: string, relabel: (status: string) => void): Promise<{ form: HTMLFormElement; destroy(): void }> {
  const [userSettings, policy] = await Promise.all([loadUserSettings(), loadPolicy()]);
  /** What the user saved (a locked field keeps the user's own value underneath the policy's). */
  let stored = userSettings;
  const settings = applyPolicy(stored, policy);
  const locked = lockedFields(policy);
  const t = messages(settings.language);
  document.documentElement.lang = settings.language;
  document.title = t.settingsTitle;

  // Not type="url": the browser would refuse an address typed without https://, which is added on saving.
  const serverUrl = h('input', { type: 'text', inputmode: 'url', placeholder: 'https://randnoter.kommune.dk', autocomplete: 'url' });
  // Signing in through the organisation only: no field for an administrator-made token.
  const token = policy.ssoOnly ? null : h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false' });
  const displayName = createNameField(t, settings);
  const defaultGroup = h('select', {});
  const language = h('select', {}, h('option', { value: 'da' }, 'Dansk'), h('option', { value: 'en' }, 'English'));
  const autoOpen = h('input', { type: 'checkbox', id: 'autoOpen' });
  const sites = createSitesField(t, stored.meetingHosts, policy, browser.permissions);
  const result = h('p', { role: 'status', class: 'result' }, shownStatus);

  serverUrl.value = settings.serverUrl;
  if (token) token.value = settings.token;
  language.value = settings.language;
  autoOpen.checked = settings.autoOpenPdfs;
  const setGroups = (groups: Array<{ id: string; name: string }>, selected: string) => {
    defaultGroup.replaceChildren(h('option', { value: '' }, '—'), ...groups.map((g) => h('option', { value: g.id }, g.name)));
    defaultGroup.value = groups.some((g) => g.id === selected) ? selected : '';
  };
  setGroups(settings.defaultGroup ? [{ id: settings.defaultGroup, name: settings.defaultGroup }] : [], settings.defaultGroup);
  const account = createAccountSection({
    t,
    serverUrl: () => (serverUrl.value.trim() === '' ? null : normaliseServerUrl(serverUrl.value)),
    onGroups: (groups) => setGroups(groups, defaultGroup.value || settings.defaultGroup),
    tokenField: token !== null,
    deps: { platform: browserAuthPlatform, access: pageAccessDeps, watch: watchSignIn },
  });

  // What the user hears of, per group: saved at once, apart from the form's "Gem".
  const notifications = createNotificationSettings(t, settings, pageAccessDeps);
  const serverField = field('serverUrl', t.serverUrl, serverUrl);
  const groupField = field('defaultGroup', t.defaultGroup, defaultGroup);
  const languageField = field('language', t.language, language);
  const autoOpenHint = h('span', { id: 'autoOpen-hint', class: 'hint' }, t.autoOpenWhere(policy.pdfTakeover === 'all'));
  describeBy(autoOpen, autoOpenHint.id);
  const autoOpenField = h('p', { class: 'field checkbox' }, autoOpen, h('label', { for: 'autoOpen' }, t.autoOpen), autoOpenHint);
  if (locked.has('serverUrl')) lockField(serverField, serverUrl, t);
  if (locked.has('defaultGroup')) lockField(groupField, defaultGroup, t);
  if (locked.has('language')) lockField(languageField, language, t);
  if (locked.has('autoOpenPdfs')) lockField(autoOpenField, autoOpen, t);

  const form = h(
    'form',
    {},
    h('h1', {}, t.settingsTitle),
    organisationNote(policy, t),
    serverField,
    account.element,
    token ? field('token', t.token, token) : null,
    displayName.element,
    groupField,
    languageField,
    autoOpenField,
    sites.element,
    h('p', {}, h('button', { type: 'submit' }, t.save)),
    result,
    // The server and sign-in as saved: what the other pages use too.
    createOwnDataSection(t, async () => applyPolicy(await loadUserSettings(), await loadPolicy())),
    notifications.element,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const read = sites.read();
    if ('bad' in read) {
      result.textContent = t.badHost(read.bad);
      return;
    }
    // During the click, before anything is awaited: the browser asks the user only now.
    const access = sites.requestAccess(read.hosts);
    void save(read.hosts, access);
  });
  void sites.refresh(stored.meetingHosts);

  async function save(meetingHosts: string[], access: Promise<boolean>): Promise<void> {
    const url = serverUrl.value.trim() === '' ? '' : normaliseServerUrl(serverUrl.value);
    if (url === null) {
      result.textContent = t.badServerUrl;
      return;
    }
    serverUrl.value = url; // shown as it will be used: scheme, host and port only
    const policyServer = policy.serverUrl ? normaliseServerUrl(policy.serverUrl) : null;
    const next: Settings = {
      // The policy's address, unchanged, stays the policy's: a later change by IT reaches this user.
      serverUrl: locked.has('serverUrl') || (url === policyServer && !stored.serverUrl) ? stored.serverUrl : url,
      token: token ? token.value.trim() : stored.token,
      displayName: displayName.value(),
      defaultGroup: locked.has('defaultGroup') ? stored.defaultGroup : defaultGroup.value,
      language: locked.has('language') ? stored.language : (language.value as Language),
      autoOpenPdfs: locked.has('autoOpenPdfs') ? stored.autoOpenPdfs : autoOpen.checked,
      meetingHosts,
    };
    await saveSettings(next);
    stored = next;
    await access;
    // Once this answers, the page scripts run on the sites as saved.
    await browser.runtime.sendMessage(SITES_CHANGED).catch(() => {});
    await sites.refresh(meetingHosts);
    const inUse = applyPolicy(next, policy);
    const saved = messages(inUse.language);
    const renamed = await displayName.save(inUse);
    if (!inUse.serverUrl || !inUse.token) {
      result.textContent = saved.settingsSaved;
    } else {
      result.textContent = await signInResult(inUse, next, saved);
    }
    if (renamed) result.textContent = `${result.textContent} ${renamed}`;
    // A new language applies to this page too, at once: the form is built again in it.
    if (inUse.language !== settings.language) relabel(result.textContent ?? '');
  }

  async function signInResult(inUse: Settings, next: Settings, saved: Messages): Promise<string> {
    try {
      const me = await fetchMe({ serverUrl: inUse.serverUrl, token: inUse.token });
      setGroups(me.groups, inUse.defaultGroup || me.groups[0]?.id || '');
      if (!inUse.defaultGroup && me.groups[0]) {
        stored = { ...next, defaultGroup: me.groups[0].id };
        await saveSettings(stored);
      }
      return `${saved.settingsSaved} ${saved.signedInAs(me.name)}`;
    } catch (error) {
      return `${saved.settingsSaved} ${saved.signInFailed(saved.problem[problemOf(error)])}`;
    }
  }

  return {
    form,
    destroy() {
      account.destroy();
      notifications.destroy();
    },
  };
}

async function main(): Promise<void> {
  const app = document.getElementById('app') as HTMLElement;
  let shown: { destroy(): void } | null = null;
  const render = async (status = '') => {
    const next = await buildForm(status, (said) => void render(said));
    shown?.destroy();
    shown = next;
    app.replaceChildren(next.form);
  };
  await render();
  // IT's change of the policy shows at once (Chrome and Edge read policies while running).
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void render();
  });
}

void main();
