/**
 * "Indhold": the packet's agenda items and their attachments, each with its number of notes and
 * who is reading it now; choosing one jumps there.
 */
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';

export interface Reader {
  name: string;
  color: string;
  item: number | null;
}

export interface ContentsPane {
  render(outline: AgendaOutline, counts: ReadonlyMap<number, number>, readers: readonly Reader[], current: number | null): void;
}

export function createContentsPane(root: HTMLElement, t: Messages, jump: (page: number) => void): ContentsPane {
  const list = h('ul', { class: 'rn-agenda' });
  const present = h('ul', { class: 'rn-presence', 'aria-label': t.readers });
  root.append(present, list);
  return {
    render(outline, counts, readers, current) {
      present.replaceChildren(
        ...readers.map((r) =>
          h(
            'li',
            {},
            h('span', { class: 'rn-dot', style: `background:${/^#[0-9a-f]{6}$/i.test(r.color) ? r.color : '#888'}` }),
            `${r.name}${r.item !== null ? ` · Punkt ${r.item}` : ''}`,
          ),
        ),
      );
      list.replaceChildren(
        ...outline.items.map((item) => {
          const count = counts.get(item.number) ?? 0;
          const here = readers.filter((r) => r.item === item.number).map((r) => r.name);
          const label = `Punkt ${item.number}: ${item.title}`;
          return h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                'aria-current': current === item.number ? 'location' : null,
                'aria-label': `${label}${count > 0 ? `, ${t.noteCount(count)}` : ''}${here.length > 0 ? `, ${t.readingNow(here.join(', '))}` : ''}`,
                onclick: () => jump(item.firstPage),
              },
              label,
              count > 0 ? h('span', { class: 'rn-count', 'aria-hidden': 'true' }, String(count)) : null,
              here.length > 0 ? h('span', { class: 'rn-here', 'aria-hidden': 'true' }, ` ${here.join(', ')}`) : null,
            ),
            item.attachments.length > 0
              ? h(
                  'ul',
                  {},
                  ...item.attachments.map((a) =>
                    h('li', {}, h('button', { type: 'button', onclick: () => jump(a.firstPage) }, `Bilag ${a.number}: ${a.title}`)),
                  ),
                )
              : null,
          );
        }),
      );
    },
  };
}
