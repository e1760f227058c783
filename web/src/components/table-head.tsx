/** A table's head row: one column header (scope="col") a label; the labels in `num` are number columns (right-aligned). */
export function TableHead({ columns, num = [] }: { columns: readonly string[]; num?: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" className={num.includes(c) ? 'num' : undefined}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
