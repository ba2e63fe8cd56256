/** Options: server address, sign-in with the organisation, token, display name, default group, language, open PDFs automatically. */
import './style.css';
import { createAccountSection } from '../../auth/account-section.ts';
import { browserAuthPlatform, pageAccessDeps, watchSignIn } from '../../auth/browser-auth.ts';
import { messages } from '../../i18n/messages.ts';
import { type Language, loadSettings, normaliseServerUrl, type Settings, saveSettings } from '../../settings/settings.ts';
import { fetchMe } from '../../sync/server-api.ts';
import { h } from '../../utils/dom.ts';

function field(id: string, label: string, input: HTMLElement): HTMLElement {
  input.id = id;
  return h('p', { class: 'field' }, h('label', { for: id }, label), input);
}

async function main(): Promise<void> {
  const settings = await loadSettings();
  const t = messages(settings.language);
  document.documentElement.lang = settings.language;
  document.title = t.settingsTitle;

  const serverUrl = h('input', { type: 'url', placeholder: 'https://randnoter.kommune.dk', autocomplete: 'url' });
  const token = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false' });
  const displayName = h('input', { type: 'text', autocomplete: 'name' });
  const defaultGroup = h('select', {});
  const language = h('select', {}, h('option', { value: 'da' }, 'Dansk'), h('option', { value: 'en' }, 'English'));
  const autoOpen = h('input', { type: 'checkbox' });
  const result = h('p', { role: 'status', class: 'result' });

  serverUrl.value = settings.serverUrl;
  token.value = settings.token;
  displayName.value = settings.displayName;
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
    deps: { platform: browserAuthPlatform, access: pageAccessDeps, watch: watchSignIn },
  });

  const form = h(
    'form',
    {},
    h('h1', {}, t.settingsTitle),
    field('serverUrl', t.serverUrl, serverUrl),
    account.element,
    field('token', t.token, token),
    field('displayName', t.displayName, displayName),
    field('defaultGroup', t.defaultGroup, defaultGroup),
    field('language', t.language, language),
    h('p', { class: 'field checkbox' }, autoOpen, h('label', { for: 'autoOpen' }, t.autoOpen)),
    h('p', {}, h('button', { type: 'submit' }, t.save)),
    result,
  );
  autoOpen.id = 'autoOpen';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  (document.getElementById('app') as HTMLElement).replaceChildren(form);

  async function save(): Promise<void> {
    const url = serverUrl.value.trim() === '' ? '' : normaliseServerUrl(serverUrl.value);
    if (url === null) {
      result.textContent = t.badServerUrl;
      return;
    }
    serverUrl.value = url; // shown as it will be used: scheme, host and port only
    const next: Settings = {
      serverUrl: url,
      token: token.value.trim(),
      displayName: displayName.value.trim(),
      defaultGroup: defaultGroup.value,
      language: language.value as Language,
      autoOpenPdfs: autoOpen.checked,
    };
    await saveSettings(next);
    const saved = messages(next.language);
    if (!next.serverUrl || !next.token) {
      result.textContent = saved.settingsSaved;
      return;
    }
    try {
      const me = await fetchMe({ serverUrl: next.serverUrl, token: next.token });
      setGroups(me.groups, next.defaultGroup || me.groups[0]?.id || '');
      if (!next.defaultGroup && me.groups[0]) await saveSettings({ ...next, defaultGroup: me.groups[0].id });
      result.textContent = `${saved.settingsSaved} ${saved.signedInAs(me.name)}`;
    } catch (error) {
      result.textContent = `${saved.settingsSaved} ${saved.signInFailed(error instanceof Error ? error.message : String(error))}`;
    }
  }
}

void main();
