// A list of accounts to pick from (the greeter's users, elevate's administrators):
// one button per account, its display name and login name written out.
import { useEffect, useRef } from 'react';
import type { ScreenContext } from '../state/screen-state';
import { Avatar } from './Avatar';

interface UserListProps {
  legend: string;
  users: ScreenContext['users'];
  disabled: boolean;
  /** Take focus when the list appears or becomes usable. */
  focusFirst: boolean;
  onChoose(user: string): void;
}

export function UserList({ legend, users, disabled, focusFirst, onChoose }: UserListProps) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusFirst && !disabled) first.current?.focus();
  }, [focusFirst, disabled]);
  return (
    <fieldset className="user-choice" disabled={disabled}>
      <legend className="field-label">{legend}</legend>
      <ul className="user-list">
        {users.map((user, index) => (
          <li key={user.name}>
            <button ref={index === 0 ? first : undefined} type="button" className="user-button" onClick={() => onChoose(user.name)}>
              <Avatar name={user.displayName ?? user.name} picture={user.picture} />
              <span className="user-button-names">
                <span className="user-button-display">{user.displayName ?? user.name}</span>
                {user.displayName !== undefined && <span className="user-button-login">{user.name}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
