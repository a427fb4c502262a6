/**
 * The hosts of a group as Ansible's Group.get_hosts lists them: its own hosts, then those
 * of its children level by level (Ansible walks deeper levels in set order, which varies
 * between runs; here they follow the order the groups were written).
 */
export function hostsOfGroup(groups: ReadonlyMap<string, { children: string[]; hosts: string[] }>, group: string): string[] {
  const order: string[] = [group];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const c of groups.get(order[i]!)?.children ?? []) {
      if (!seen.has(c)) {
        seen.add(c);
        order.push(c);
      }
    }
  }
  const out: string[] = [];
  const had = new Set<string>();
  for (const g of order) {
    for (const h of groups.get(g)?.hosts ?? []) {
      if (!had.has(h)) {
        had.add(h);
        out.push(h);
      }
    }
  }
  return out;
}
