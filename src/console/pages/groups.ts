// Groups of cases or of mobile workers (SPEC 4, 7): the list, /groups/new, edit and delete
// (refused while a broadcast names it or cases are owned by it), through the API's schema
// (GroupBody) and use cases.
import { deleteGroup, putGroup } from '../../app/contacts/groups.ts';
import { GroupBody } from '../../app/contacts/schemas.ts';
import type { GroupRecord } from '../../app/ports/config-reads.ts';
import { Id } from '../../lib/schema.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import type { ConsolePage } from '../deps.ts';
import { field, type Form } from '../forms.ts';
import { objectPages } from './object-pages.ts';

interface GroupForm {
  id: string;
  isNew: boolean;
  name: string;
  kind: string;
  /** Member ids, one a line. */
  members: string;
}

const fromPost = (body: Form): GroupForm => ({
  id: field(body, 'id').trim(),
  isNew: field(body, 'is_new') === '1',
  name: field(body, 'name'),
  kind: field(body, 'kind'),
  members: field(body, 'members'),
});

export const groupsPage: ConsolePage = objectPages<GroupRecord, GroupForm>({
  plural: 'groups',
  noun: 'group',
  listView: 'groups',
  formView: 'group-form',
  list: (deps, projectId, page) => deps.readModel.groupPage(projectId, page),
  idOf: (g) => g.id,
  load: async (deps, projectId, id) => {
    const group = await deps.store.groups.get(projectId, id);
    return group ? { projectId, id, ...group } : null;
  },
  blank: () => ({ id: '', isNew: true, name: '', kind: 'case', members: '' }),
  stateOf: (g) => ({
    id: g.id,
    isNew: false,
    name: g.name ?? '',
    kind: g.kind,
    members: g.members.join('\n'),
  }),
  fromPost,
  idOfState: (g) => g.id,
  isNew: (g) => g.isNew,
  async save(deps, projectId, g) {
    const id = parseInput(Id, g.id, 'id');
    if (g.isNew && (await deps.store.groups.get(projectId, id)))
      throw new InputError('id', `there is already a group '${id}': choose another id, or edit that one`);
    const members = g.members.split(/[\s,]+/).filter((m) => m !== '');
    const body = parseInput(GroupBody, {
      kind: g.kind,
      name: g.name.trim() === '' ? null : g.name.trim(),
      members,
    });
    await putGroup(deps, projectId, id, body);
    return id;
  },
  inputFor: (path) =>
    path.startsWith('members') ? 'members' : ['id', 'name', 'kind'].includes(path) ? path : 'id',
  remove: (deps, projectId, id) => deleteGroup(deps, projectId, id),
  consequence: 'Broadcasts and cases no longer reach its members through it.',
  firstInput: 'id',
});
