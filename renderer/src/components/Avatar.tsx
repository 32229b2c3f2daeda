// A user's initial in a circle: decoration only (the name is always written next to it).
export function Avatar({ name }: { name: string }) {
  const initial = [...name.trim()][0]?.toLocaleUpperCase() ?? '?';
  return (
    <span className="avatar" aria-hidden="true">
      {initial}
    </span>
  );
}
