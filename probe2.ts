import { loadCorpus } from './src/corpus/load.js';
import { Briefing } from './src/engine/briefing.js';
const b = new Briefing((await loadCorpus('corpus')).documents);
for (const q of ['US', 'Russia', 'United States', 'Chinese Foreign Ministry', 'Ministry of Defense', 'Japan’s Ministry of Defense', 'Indo-Pacific', 'Indo Pacific Command', 'Kishida', 'Kish', 'Blinkin', 'Putin', 'Austin', 'Kyodo', 'Song', 'Lin', 'Hayashi', 'LRHW', 'Pentagon', 'Japan', 'China'])
  { const r = b.who(q); console.log(q, '→', r.match ? `${r.match.name} (${r.match.kind}) ${r.match.mentions} [${r.match.aliases}] {${r.match.descriptions.map(d=>d.text).join(' | ')}}` : 'null', r.suggestions); }
for (const s of ['Putin', 'Blinkin', 'Hayashi', 'the source', 'Kyodo News']) { const r = b.quote({ speaker: s }); console.log(s, JSON.stringify(r.speaker), r.quotes.length, [...new Set(r.quotes.map(q=>q.speaker?.name))]); }
console.log(b.completeNames('Ki'), b.completeNames('blinkn'), b.completeNames('li'));
console.log(b.entities.names().length);
