/** "Show 20 more (of 135 left)": the pager under long sections. */
export function ShowMore({ hidden, pageSize, what, onClick }: { hidden: number; pageSize: number; what: string; onClick: () => void }) {
  if (hidden <= 0) return null;
  return (
    <button type="button" className="show-more" onClick={onClick}>
      Show {Math.min(hidden, pageSize)} more {what} ({hidden} not shown)
    </button>
  );
}
