/** The result of bestAssignment: one object, reused by every call (scoring allocates nothing per name). */
const assignResult = { sum: 0, count: 0, rank: 0 };

/**
 * Best assignment of k query tokens to distinct name tokens (k <= 4, m <= 8, brute force) over a score
 * matrix with row stride 8 (0 = no match). Maximises the score sum, then the worst kind rank.
 */
export function bestAssignment(mat: Float64Array, rank: Uint8Array, k: number, m: number): Readonly<typeof assignResult> {
  assignResult.sum = -1;
  assignResult.count = 0;
  assignResult.rank = 0;
  const walk = (qi: number, used: number, sum: number, count: number, worst: number): void => {
    if (qi === k) {
      if (count > 0 && (sum > assignResult.sum || (sum === assignResult.sum && worst > assignResult.rank))) {
        assignResult.sum = sum;
        assignResult.count = count;
        assignResult.rank = worst;
      }
      return;
    }
    for (let j = 0; j < m; j++) {
      const v = mat[qi * 8 + j]!;
      if (v === 0 || used & (1 << j)) continue;
      walk(qi + 1, used | (1 << j), sum + v, count + 1, Math.min(worst, rank[qi * 8 + j]!));
    }
    walk(qi + 1, used, sum, count, worst);
  };
  walk(0, 0, 0, 0, 3);
  if (assignResult.count === 0) assignResult.sum = 0;
  return assignResult;
}
