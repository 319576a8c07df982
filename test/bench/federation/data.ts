/**
 * The shop the four subgraphs answer from: users, products with stock, and reviews, made from a
 * fixed seed so every run (and every gateway) sees the same records. Sized so that the big query
 * answers about 85 KB, as The Guild's gateways benchmark does.
 */

export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
  inStock: boolean;
}

export interface Review {
  id: string;
  body: string;
  authorId: string;
  upc: string;
}

export interface Shop {
  users: User[];
  products: Product[];
  reviews: Review[];
  usersById: ReadonlyMap<string, User>;
  productsByUpc: ReadonlyMap<string, Product>;
  reviewsByAuthor: ReadonlyMap<string, Review[]>;
  reviewsByProduct: ReadonlyMap<string, Review[]>;
}

export interface ShopSize {
  users: number;
  products: number;
  reviewsPerUser: number;
  /** Words in a review's body, from min to max. */
  bodyWords: [number, number];
}

/** Tuned by hand: the big query's answer is about 85 KB with these. */
export const defaultShopSize: ShopSize = {
  users: 6,
  products: 9,
  reviewsPerUser: 2,
  bodyWords: [82, 198],
};

/** A small deterministic generator (mulberry32): the same seed, the same shop. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia"];
const FAMILY = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Perlis"];
const GOODS = ["kettle", "toaster", "lamp", "chair", "clock", "mug", "radio", "desk", "fan"];
const ADJECTIVES = ["blue", "quiet", "sturdy", "compact", "vintage", "folding", "smart", "large"];
const WORDS = (
  "the it works arrived quickly sturdy well made would buy again cheap feels solid after a week " +
  "of daily use the finish started to wear but support replaced it without fuss recommended for " +
  "anyone who wants something simple reliable and good value though the instructions were vague"
).split(" ");

export function generateShop(size: ShopSize = defaultShopSize, seed = 14): Shop {
  // Three streams, so the bodies' lengths can be tuned without reshuffling who reviewed what,
  // and the answer's size grows smoothly with them.
  const next = random(seed);
  const nextLength = random(seed + 1);
  const nextWord = random(seed + 2);
  const pick = <T>(list: readonly T[], from = next): T =>
    list[Math.floor(from() * list.length)] as T;
  const users: User[] = Array.from({ length: size.users }, (_, i) => {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    return {
      id: String(i + 1),
      name: `${given} ${family}`,
      username: `${given}.${family}${i + 1}`.toLowerCase(),
      birthday: 1_000_000_000 + Math.floor(next() * 500_000_000),
    };
  });
  const products: Product[] = Array.from({ length: size.products }, (_, i) => ({
    upc: String(i + 1),
    name: `${pick(ADJECTIVES)} ${pick(GOODS)}`,
    price: 100 + Math.floor(next() * 1900),
    weight: 50 + Math.floor(next() * 950),
    inStock: next() < 0.6,
  }));
  const [minWords, maxWords] = size.bodyWords;
  const reviews: Review[] = [];
  for (const user of users) {
    for (let j = 0; j < size.reviewsPerUser; j++) {
      const words = minWords + Math.floor(nextLength() * (maxWords - minWords + 1));
      const body = Array.from({ length: words }, () => pick(WORDS, nextWord)).join(" ");
      reviews.push({
        id: String(reviews.length + 1),
        body: `${body[0]?.toUpperCase()}${body.slice(1)}.`,
        authorId: user.id,
        upc: pick(products).upc,
      });
    }
  }
  const group = (key: (r: Review) => string) => {
    const map = new Map<string, Review[]>();
    for (const r of reviews) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
    return map;
  };
  return {
    users,
    products,
    reviews,
    usersById: new Map(users.map((u) => [u.id, u])),
    productsByUpc: new Map(products.map((p) => [p.upc, p])),
    reviewsByAuthor: group((r) => r.authorId),
    reviewsByProduct: group((r) => r.upc),
  };
}
