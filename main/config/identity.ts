// How the screens show an account: its full name (the configured display name,
// else the passwd entry's GECOS name) and its picture (main/auth/user-picture.ts).
// Looked up once, when the engine's options are made.
import { lookupAccountSync } from '../auth/accounts';
import type { Account } from '../auth/accounts';
import type { Identity, Person } from '../auth/api';
import { userPicture, ACCOUNTS_SERVICE_ICONS } from '../auth/user-picture';

/** Pictures are looked up for this many people at most (a long list shows initials after that). */
export const MAX_PICTURES = 16;
/** And only while they add up to this much (they travel in every context event). */
export const MAX_PICTURES_BYTES = 1024 * 1024;

export interface IdentitySources {
  lookup(name: string): Account | undefined;
  picture(account: Account): string | undefined;
}

export const systemIdentitySources: IdentitySources = {
  lookup: lookupAccountSync,
  picture: (account) => userPicture(account, { iconDir: ACCOUNTS_SERVICE_ICONS }),
};

/** `name`'s identity; `displayName` (from the configuration) wins over the passwd entry's. */
export function identityOf(name: string, displayName: string | undefined, sources: IdentitySources): Identity {
  const account = sources.lookup(name);
  const fullName = displayName ?? (account !== undefined && account.fullName.length > 0 ? account.fullName : undefined);
  const picture = account === undefined ? undefined : sources.picture(account);
  return {
    ...(fullName === undefined ? {} : { displayName: fullName }),
    ...(picture === undefined ? {} : { picture }),
  };
}

/** The people of a list with their pictures (the first MAX_PICTURES of them). */
export function withPictures(people: Person[], sources: IdentitySources): Person[] {
  let budget = MAX_PICTURES_BYTES;
  return people.map((person, index) => {
    if (index >= MAX_PICTURES || budget <= 0) return person;
    const account = sources.lookup(person.name);
    const picture = account === undefined ? undefined : sources.picture(account);
    if (picture === undefined || picture.length > budget) return person;
    budget -= picture.length;
    return { ...person, picture };
  });
}
