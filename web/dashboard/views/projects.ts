import { AREAS } from '../api';
import { h } from '../dom';
import { formatNumber } from '../format';
import { label, t } from '../i18n';
import { allProjects, heading, projectCard, type ViewContext } from './common';

/** The board: one column per area of work, every project with its lead and participants. */
export function projectsView({ data }: ViewContext): HTMLElement {
  const projects = allProjects(data).sort((a, b) => a.name.localeCompare(b.name));
  return h(
    'div',
    { class: 'view view-projects' },
    heading('h1', t('projectBoard')),
    h(
      'div',
      { class: 'board' },
      AREAS.map((area) => {
        const inArea = projects.filter((p) => p.area === area);
        return h(
          'section',
          { class: 'board-column', 'data-area': area, 'aria-labelledby': `area-${area}` },
          h('h2', { id: `area-${area}` }, label('area', area), ' ', h('span', { class: 'count' }, `(${formatNumber(inArea.length)})`)),
          inArea.length ? inArea.map((p) => projectCard(p)) : h('p', { class: 'muted' }, t('noProjects')),
        );
      }),
    ),
  );
}
