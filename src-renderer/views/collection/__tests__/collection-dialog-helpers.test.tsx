import { describe, expect, it } from 'vitest';
import { IpcError, IpcErrorCode } from '../../../../src-shared/ipc/errors';
import { collectionErrorText, collectionNameProblem } from '../collection-errors';
import { matchingCandidates, type Candidate } from '../CollectionMembersPicker';

const candidates: Candidate[] = [
  { id: 1, name: 'Dining light', type: 'light' },
  { id: 2, name: 'Kitchen light', type: 'light' },
  { id: 3, name: 'Refrigerator', type: 'refrigerator' },
];

describe('members search', () => {
  it('matches every word against the name and the kind, members first', () => {
    expect(matchingCandidates(candidates, [], 'kitchen LI').map((c) => c.id)).toEqual([2]);
    expect(matchingCandidates(candidates, [], 'light').map((c) => c.id)).toEqual([1, 2]);
    expect(matchingCandidates(candidates, [2], '').map((c) => c.id)).toEqual([2, 1, 3]);
    expect(matchingCandidates(candidates, [], 'garage')).toEqual([]);
  });
});

describe('collection names and errors in plain words', () => {
  it('asks for a name and refuses one that is too long, counting without the outer spaces', () => {
    expect(collectionNameProblem('   ')).toBe('Give the collection a name.');
    expect(collectionNameProblem(` ${'a'.repeat(200)} `)).toBeNull();
    expect(collectionNameProblem('a'.repeat(201))).toBe('A name can be at most 200 characters; this one has 201.');
  });

  it('builds the message from the typed error, never showing its code', () => {
    const tooLong = IpcError.invalidArgument('Invalid argument for collection.create', [{ path: ['name'], message: 'A name can be at most 200 characters.' }]);
    expect(collectionErrorText(tooLong)).toBe('A name can be at most 200 characters. Nothing was changed.');
    expect(collectionErrorText(IpcError.conflict('Turn on edit mode to change the plan.'))).toBe('Turn on edit mode to change the plan. Nothing was changed.');
    const full = new IpcError(IpcErrorCode.STORAGE_FULL, 'SQLITE_FULL: database or disk is full');
    expect(collectionErrorText(full)).toBe("The hub's storage is full. Nothing was changed.");
    expect(collectionErrorText(IpcError.notFound('No collection 7'))).not.toMatch(/not_found|No collection 7/);
  });
});
