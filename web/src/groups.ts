// The account's AN and DN groups (SPEC §15, standard plan): GET /api/groups/{an|dn}, shared by the
// groups page and the analysis filter bar. The last lists fetched are kept in memory, so that the
// applied-filters line and the documents can name a group by its ID without asking again.

import { api } from './api';

export type GroupKind = 'an' | 'dn';
export const GROUP_KINDS: GroupKind[] = ['an', 'dn'];

export interface Group { id: string; name: string; members: string[] }

const known: Record<GroupKind, Group[] | null> = { an: null, dn: null };

// The account's groups of one kind, sorted by name (the server's order).
export async function listGroups(kind: GroupKind): Promise<Group[]> {
  const answer = await api<{ groups: Group[] }>('GET', `/api/groups/${kind}`);
  known[kind] = answer.groups;
  return answer.groups;
}

// The groups of the last list fetched (null: never fetched, or not allowed on this plan).
export const knownGroups = (kind: GroupKind): Group[] | null => known[kind];

// A group's name for the applied-filters line; the ID itself when the group is not known.
export const groupName = (kind: GroupKind, id: string): string => known[kind]?.find((g) => g.id === id)?.name ?? id;

// A group ID is 16 lower-case hex characters (docs/api.md "Groups").
export const isGroupId = (id: string) => /^[0-9a-f]{16}$/.test(id);

// Numbers as typed or pasted: separated by new lines, commas (also 、，) or spaces, hyphens allowed.
export const splitNumbers = (text: string): string[] =>
  text.split(/[\s,、，]+/).map((v) => v.trim()).filter(Boolean);
