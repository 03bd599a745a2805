// The kohort table's layout, pure (node-tested in tests/js/kohort.test.mjs): grouped header
// rows, the paper book's two halves, and dates as written in its narrow columns.

// Both halves of a line carry who it is, as the left and right pages of the paper book do.
const HEADS = ['no', 'name', 'sex'];

/** The header rows of a kohort table: one cell per run of columns sharing a group (spanning
 * the run, and both rows where the column has no group), then one per grouped column. */
export function headerRows(columns) {
  const top = [];
  for (const column of columns) {
    const last = top[top.length - 1];
    if (column.group && last?.group === column.group) last.span += 1;
    else top.push({ group: column.group, label: column.group || column.label, span: 1, rows: column.group ? 1 : 2 });
  }
  return { top, bottom: columns.filter((column) => column.group) };
}

/** The paper book's halves: part 1 and part 2 columns, each headed by No, name and L/P. */
export function parts(columns) {
  const numbers = [...new Set(columns.map((column) => column.part ?? 1))].sort();
  return numbers.map((part) => columns.filter((column) => (column.part ?? 1) === part
    || (part !== numbers[0] && HEADS.includes(column.key))));
}

/** dd/mm/yy, as a date is written in the book's narrow columns. */
export function shortDate(iso) {
  const [year, month, day] = iso.slice(0, 10).split('-');
  return `${day}/${month}/${year.slice(2)}`;
}
