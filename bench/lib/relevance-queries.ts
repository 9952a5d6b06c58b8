/**
 * Labelled queries over the 40 seed products for `npm run bench:relevance`. `relevant` lists every seed
 * product id a shopper typing the query would be glad to see. `meaning` queries share no word with the
 * text of any product they want (name, description, category — checked by the benchmark); `keyword`
 * queries name the product; `nonsense` queries must return nothing.
 */
export interface LabelledQuery {
  q: string;
  kind: 'meaning' | 'keyword';
  relevant: number[];
}

export const LABELLED_QUERIES: LabelledQuery[] = [
  // Meaning: no shared word with the wanted products.
  { q: 'keep my coffee warm during a trek', kind: 'meaning', relevant: [35] },
  { q: 'stay cozy overnight in the mountains', kind: 'meaning', relevant: [34, 33] },
  { q: 'shelter for a night in the wilderness', kind: 'meaning', relevant: [33] },
  { q: 'listen to songs without bothering others', kind: 'meaning', relevant: [1, 2] },
  { q: 'morning caffeine machine', kind: 'meaning', relevant: [11] },
  { q: 'crispy fries with less fat', kind: 'meaning', relevant: [12] },
  { q: 'sear a steak', kind: 'meaning', relevant: [13] },
  { q: 'slice vegetables', kind: 'meaning', relevant: [14, 15] },
  { q: 'reading about building dependable servers', kind: 'meaning', relevant: [26, 27] },
  { q: 'whodunit fiction to read on holiday', kind: 'meaning', relevant: [29] },
  { q: 'ideas for barbecue dinners', kind: 'meaning', relevant: [30] },
  { q: 'build muscle at home', kind: 'meaning', relevant: [31] },
  { q: 'something soft to do pilates on', kind: 'meaning', relevant: [32] },
  { q: 'keep teeth clean', kind: 'meaning', relevant: [39] },
  { q: 'protect my skin from sunburn', kind: 'meaning', relevant: [38] },
  { q: 'hydrate a dehydrated face', kind: 'meaning', relevant: [37, 36] },
  { q: 'wash my hair', kind: 'meaning', relevant: [40] },
  { q: 'typing with clicky keys', kind: 'meaning', relevant: [7] },
  { q: 'bigger screen for my desk', kind: 'meaning', relevant: [9] },
  { q: 'connect more devices to my laptop', kind: 'meaning', relevant: [10] },
  { q: 'portable PC for working on the go', kind: 'meaning', relevant: [6] },
  { q: 'check my pulse while jogging', kind: 'meaning', relevant: [4] },
  { q: 'marathon trainers', kind: 'meaning', relevant: [21] },
  { q: 'something for trekking through mud and rain', kind: 'meaning', relevant: [22, 19] },
  { q: 'warm winter coat', kind: 'meaning', relevant: [19, 18] },
  { q: 'formal office attire', kind: 'meaning', relevant: [16, 17] },
  { q: 'flip flops for the pool', kind: 'meaning', relevant: [25] },
  { q: 'outdoor tunes by the pool', kind: 'meaning', relevant: [5] },
  { q: 'a mobile that takes good photos', kind: 'meaning', relevant: [3] },
  { q: 'reduce wrist strain while browsing', kind: 'meaning', relevant: [8] },
  // Keyword: the product's own words.
  { q: 'wireless headphones', kind: 'keyword', relevant: [1] },
  { q: 'cast iron skillet', kind: 'keyword', relevant: [13] },
  { q: 'yoga mat', kind: 'keyword', relevant: [32] },
  { q: 'coffee maker', kind: 'keyword', relevant: [11] },
  { q: 'hiking boot', kind: 'keyword', relevant: [22] },
  { q: 'sunscreen', kind: 'keyword', relevant: [38] },
  { q: 'mechanical keyboard', kind: 'keyword', relevant: [7] },
  { q: 'sleeping bag', kind: 'keyword', relevant: [34] },
  { q: 'air fryer', kind: 'keyword', relevant: [12] },
  { q: 'chelsea boot', kind: 'keyword', relevant: [24] },
  { q: 'water bottle', kind: 'keyword', relevant: [35] },
  { q: 'merino sweater', kind: 'keyword', relevant: [18] },
  // Keyword: brand names and specs, which a sentence model knows nothing about.
  { q: 'aurora', kind: 'keyword', relevant: [1] },
  { q: 'hubline', kind: 'keyword', relevant: [10] },
  { q: 'brewwell', kind: 'keyword', relevant: [11] },
  { q: 'keystone tkl', kind: 'keyword', relevant: [7] },
  { q: 'ipx5', kind: 'keyword', relevant: [2] },
  { q: 'spf 50', kind: 'keyword', relevant: [38] },
  { q: '650-fill down', kind: 'keyword', relevant: [34] },
  { q: 'ferulic acid', kind: 'keyword', relevant: [36] },
];

export const NONSENSE_QUERIES = ['xqzt blorf', 'asdf qwer', 'lorem ipsum dolor', 'zzz'];

const STOPWORDS = new Set(['a', 'an', 'the', 'to', 'for', 'of', 'on', 'in', 'my', 'at', 'by', 'and', 'or', 'with', 'while', 'do', 'more', 'less', 'that', 'through', 'about', 'without', 'something']);

/** Lower-case words minus stopwords, crudely stemmed (plural s, -ing, -ed), so "boots" meets "boot". */
export function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return new Set(words.filter((word) => !STOPWORDS.has(word)).map((word) => word.replace(/(ing|ed|es|s)$/, '')).filter((word) => word.length > 1));
}
