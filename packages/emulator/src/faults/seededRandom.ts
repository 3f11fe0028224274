import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/** A reproducible source of numbers in [0, 1): the same seed gives the same sequence. */
export type SeededRandom = () => number;

export function createSeededRandom(seed: number): SeededRandom {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}
