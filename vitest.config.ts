import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Files and the tests in each file run in a random order: each test makes what it needs. The seed
    // is printed at the start of a run; `npx vitest run --sequence.seed=N` runs that order again.
    sequence: { shuffle: { files: true, tests: true } },
    reporters: ["default"],
  },
});
