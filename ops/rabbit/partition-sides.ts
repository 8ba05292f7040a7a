/**
 * Split nodes into partition sides from "node → peers it cannot reach" (merged from every node
 * that answered): two nodes are on one side unless either reports the other unreachable. The
 * largest side stays (on a tie: the side with `preferred`, the first disc node); the rest are the
 * minority whose nodes should be restarted to rejoin.
 */
export function partitionSides(
  nodes: readonly string[],
  partitions: Readonly<Record<string, readonly string[]>>,
  preferred?: string,
): { keep: string[]; restart: string[][] } {
  const apart = (a: string, b: string) => !!partitions[a]?.includes(b) || !!partitions[b]?.includes(a);
  const sides: string[][] = [];
  for (const node of nodes) {
    const side = sides.find((s) => s.every((member) => !apart(member, node)));
    if (side) side.push(node);
    else sides.push([node]);
  }
  if (sides.length <= 1) return { keep: sides[0] ?? [], restart: [] };
  const ranked = [...sides].sort((a, b) => b.length - a.length || Number(b.includes(preferred ?? '')) - Number(a.includes(preferred ?? '')));
  return { keep: ranked[0]!, restart: ranked.slice(1) };
}
