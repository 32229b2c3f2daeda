// An account's picture (a data: URL the engine read and checked), else its
// initial in a circle: decoration only, the name is always written next to it.
const PICTURE = /^data:image\/(png|jpeg|gif|webp);base64,/;

export function Avatar({ name, picture }: { name: string; picture?: string | undefined }) {
  if (picture !== undefined && PICTURE.test(picture)) {
    return <img className="avatar avatar-picture" src={picture} alt="" aria-hidden="true" draggable={false} />;
  }
  const initial = [...name.trim()][0]?.toLocaleUpperCase() ?? '?';
  return (
    <span className="avatar" aria-hidden="true">
      {initial}
    </span>
  );
}
