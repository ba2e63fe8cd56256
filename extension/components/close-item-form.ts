/**
 * A secretary's form for closing an agenda item, or changing who is excluded from a closed one
 * (docs/CLOSED-ITEMS.md): the group's members as checkboxes under "Udeluk", then "Luk punktet"
 * (or "Gem udelukkede") and "Annuller". Escape cancels too. The caller leaves the secretary out of
 * `members` (contents-pane.ts) and returns focus to whatever opened the form in `done`.
 */
import type { GroupMember } from '@randnoter/shared/protocol/http-api';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';

export interface CloseItemFormOptions {
  t: Messages;
  /** `close`: the item is open and will be closed; `edit`: it is closed, only its exclusions change. */
  mode: 'close' | 'edit';
  /** The item's heading, so the form says which item it is about. */
  itemLabel: string;
  members: Promise<readonly GroupMember[]>;
  /** Who is excluded now (checked at first). */
  excluded: Promise<readonly string[]>;
  submit: (excluded: string[]) => Promise<void>;
  /** After submit or cancel: the form is to be removed. */
  done: () => void;
}

export function createCloseItemForm(o: CloseItemFormOptions): HTMLFormElement {
  const { t } = o;
  const title = o.mode === 'close' ? t.markClosed : t.editExcluded;
  const choices = h('div', { class: 'rn-exclude-choices' });
  const status = h('p', { class: 'rn-exclude-status', role: 'status' });
  const submit = h('button', { type: 'submit', disabled: true }, o.mode === 'close' ? t.closeItemSubmit : t.saveExcluded);
  const cancel = h('button', { type: 'button' }, t.cancel);
  let finished = false;
  let sending = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    o.done();
  };
  const form = h(
    'form',
    { class: 'rn-close-item-form', 'aria-label': title, tabindex: -1 },
    h('p', { class: 'rn-close-item-title' }, `${title}: ${o.itemLabel}`),
    h('fieldset', {}, h('legend', {}, t.excludeLegend), choices),
    status,
    h('div', { class: 'rn-form-actions' }, submit, cancel),
  );
  const boxes = () => [...choices.querySelectorAll<HTMLInputElement>('input[type=checkbox]')];

  Promise.all([o.members, o.excluded]).then(
    ([members, excluded]) => {
      if (finished) return;
      choices.replaceChildren(
        ...members.map((m) =>
          h('label', {}, h('input', { type: 'checkbox', value: m.id, checked: excluded.includes(m.id) }), ` ${m.name}`),
        ),
      );
      if (members.length === 0) status.textContent = t.noOtherMembers;
      submit.disabled = false;
      if (document.activeElement === form) (boxes()[0] ?? submit).focus();
    },
    () => {
      if (finished) return;
      status.textContent = t.membersUnavailable;
      // Closing with no one excluded is still possible; changing exclusions unseen is not.
      submit.disabled = o.mode === 'edit';
    },
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled || sending) return;
    // Not `disabled`: that would take focus from the button, and a restarted viewer (closing an
    // item with comments rewrites the group's room) could then not give it back.
    sending = true;
    submit.setAttribute('aria-disabled', 'true');
    const excluded = boxes()
      .filter((b) => b.checked)
      .map((b) => b.value);
    void o.submit(excluded).finally(finish);
  });
  cancel.addEventListener('click', finish);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      finish();
    }
  });
  return form;
}
