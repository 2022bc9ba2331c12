// Golden token ids from js-tiktoken (an independent JavaScript implementation of OpenAI's tiktoken
// with its own copy of the r50k_base and cl100k_base ranks), for JTokkitTokenizerGoldenTest.
// Regenerate (needs npm):
//   cd /tmp && npm install js-tiktoken@1.0.21 && NODE_PATH=/tmp/node_modules \
//     node adapters-dataset/src/test/node/tiktoken_golden.mjs > adapters-dataset/src/test/resources/golden/tiktoken.json
// Special tokens are allowed ("all"), which is what a Hugging Face tokenizer does with its added tokens.
import { createRequire } from "module";
import zlib from "zlib";
import fs from "fs";
const require = createRequire(process.env.NODE_PATH + "/");
const { getEncoding } = require("js-tiktoken");

const corpus = zlib.gunzipSync(fs.readFileSync(process.argv[2] || "../shared/data/brown-corpus.jsonl.gz")).toString("utf8")
  .split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).text);
const texts = [
  "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced \"no evidence\".",
  "naïve café, Œuvre — déjà vu; Straße; ıİ",
  "日本語のテキストと中文文本，还有한국어.",
  "emoji 🙂👍🏽 and flags 🇺🇸 and ZWJ 👩‍👩‍👧",
  "tabs\tand  double  spaces\n\n\nand trailing   \r\n",
  "numbers 1234567890 3.14159 1e-10 0x7fffffff 12345678901234567890",
  "def f(x):\n    return {'a': [x ** 2 for x in range(10)]}  # code\n",
  "I'm sure they'll say it's ours; THEY'LL SAY IT'S OURS; we've, you'd, she's",
  "one document<|endoftext|>the next<|endoftext|>",
  "fill <|fim_prefix|>a<|fim_middle|>b<|fim_suffix|>c<|endofprompt|> and a fake <|notspecial|> and <|endoftext",
  "      leading spaces and\u00a0no-break\u2003em space\u3000ideographic",
  "",
];
for (const i of [0, 37, 123, 250, 499]) texts.push(corpus[i].slice(0, 3000));
const out = { generator: "adapters-dataset/src/test/node/tiktoken_golden.mjs", library: "js-tiktoken 1.0.21", cases: [] };
for (const name of ["r50k_base", "cl100k_base"]) {
  const enc = getEncoding(name);
  for (const text of texts) out.cases.push({ encoding: name, text, ids: Array.from(enc.encode(text, "all")) });
}
process.stdout.write(JSON.stringify(out) + "\n");
