/**
 * Per-document entities on made-up text: kinds, descriptions, aliases and
 * credits. No seed strings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDocument } from '../../src/corpus/document.js';
import { analyseDocument } from '../../src/analysis/document-analysis.js';
import { isAbbreviationDot, kindFromName, personNames, type DocumentEntity } from '../../src/analysis/people.js';

function entitiesOf(text: string): DocumentEntity[] {
  const built = buildDocument('t.txt', new TextEncoder().encode(text));
  assert.ok(built.ok);
  return analyseDocument(built.document).entities;
}

function entity(list: DocumentEntity[], name: string): DocumentEntity {
  const e = list.find((x) => x.name === name || x.aliases.includes(name));
  assert.ok(e, `no entity ${name} among ${list.map((x) => x.name).join(', ')}`);
  return e;
}

const descriptions = (e: DocumentEntity): string[] => e.descriptions.map((d) => d.text);

describe('descriptions are noun phrases with a role head', () => {
  it('abbreviated titles before a name are descriptions ("Sen.", "Florida Rep.", "Retired Lt. Gen.")', () => {
    const list = entitiesOf(
      'Harbor vote nears\n\nSen. Marla Quintrell said on Tuesday that the harbor bill would pass. ' +
        'Florida Rep. Dana Welkin disagreed with her. Retired Lt. Gen. Oren Valdane backed the bill as well.\n',
    );
    assert.deepEqual(descriptions(entity(list, 'Marla Quintrell')), ['Sen.']);
    assert.deepEqual(descriptions(entity(list, 'Dana Welkin')), ['Florida Rep.']);
    assert.deepEqual(descriptions(entity(list, 'Oren Valdane')), ['Retired Lt. Gen.']);
  });

  it('an abbreviation never ends an appositive ("a longtime adviser to Mrs. Quintrell")', () => {
    const list = entitiesOf('Budget talks\n\nTomas Reyburn, a longtime adviser to Mrs. Quintrell, said the talks had stalled.\n');
    assert.deepEqual(descriptions(entity(list, 'Tomas Reyburn')), ['a longtime adviser to Mrs. Quintrell']);
  });

  it('lower-case title runs, relations and copulas are read ("billionaire environmentalist", "his wife", "is the campaign’s chairman")', () => {
    const list = entitiesOf(
      'Donors\n\nThe money came from billionaire environmentalist Gus Harnwell and casino owner Sam Orrick and his wife, Lia Orrick, aides said. ' +
        'Ivo Brandvold is the campaign’s chairman.\n',
    );
    assert.deepEqual(descriptions(entity(list, 'Gus Harnwell')), ['billionaire environmentalist']);
    assert.ok(descriptions(entity(list, 'Lia Orrick')).includes('his wife'));
    assert.deepEqual(descriptions(entity(list, 'Ivo Brandvold')), ['the campaign’s chairman']);
  });

  it('two coordinated roles are two descriptions; a relative clause is cut off', () => {
    const list = entitiesOf(
      'Tax plan\n\nLeona Pratchett, director of the Northfield Tax Center and a professor at Dunmore College, said the plan was costly. ' +
        'Raul Minsky, a political adviser to the Carrow family who runs the group, declined to comment.\n',
    );
    assert.deepEqual(descriptions(entity(list, 'Leona Pratchett')), ['director of the Northfield Tax Center', 'a professor at Dunmore College']);
    assert.deepEqual(descriptions(entity(list, 'Raul Minsky')), ['a political adviser to the Carrow family']);
  });

  it('a clause, a poll figure, a judgement or a verb is never a description', () => {
    const list = entitiesOf(
      'Poll\n\nIn the survey, 41% said Ivo Brandvold was a good prime minister and 38% disagreed. ' +
        'Liberals accepted Prime Minister Ivo Brandvold on Friday. The plan would join Treasury Secretary Mara Quell to the board.\n',
    );
    const ivo = descriptions(entity(list, 'Ivo Brandvold'));
    assert.ok(!ivo.some((d) => /good|38|accepted/.test(d)), ivo.join(' / '));
    assert.ok(ivo.includes('Prime Minister'), ivo.join(' / '));
    assert.deepEqual(descriptions(entity(list, 'Mara Quell')), ['Treasury Secretary']);
  });

  it('a copula in a relative clause and an appositive after an age are read; a verb and its object are not a role', () => {
    const list = entitiesOf(
      'Old hands\n\nJim Bradwell, who was press secretary to President Ronald Reagel, spoke first. ' +
        'Marv Teskin, 53, a security guard at a casino, voted early. Bill Mahonet, who is supporting the mayor, did not. ' +
        'Dora Quist was formally crowned the party nominee on Friday, and Rae Hull is perhaps the most vulnerable senator.\n',
    );
    assert.deepEqual(descriptions(entity(list, 'Jim Bradwell')), ['press secretary to President Ronald Reagel']);
    assert.deepEqual(descriptions(entity(list, 'Marv Teskin')), ['a security guard at a casino']);
    assert.deepEqual(descriptions(entity(list, 'Bill Mahonet')), []);
    assert.deepEqual(descriptions(entity(list, 'Dora Quist')), []);
    assert.deepEqual(descriptions(entity(list, 'Rae Hull')), []);
  });

  it('another person’s title inside an appositive is not this person’s description', () => {
    const list = entitiesOf('Panel\n\nThe panel had three hosts: Dana Foxwell, chief investigative reporter Ken Holtby, and others.\n');
    assert.deepEqual(descriptions(entity(list, 'Dana Foxwell')), []);
  });

  it('"the X" is resolved to the entity already carrying its head noun, and only when its modifiers fit', () => {
    const list = entitiesOf(
      'Storm\n\nMayor Ann Kellerman visited the flooded streets on Monday. "We will rebuild," the mayor said. ' +
        'Foreign secretary Rob Lindqvist flew in later. The trade secretary stayed away.\n',
    );
    assert.deepEqual(descriptions(entity(list, 'Ann Kellerman')), ['Mayor', 'the mayor']);
    assert.ok(!descriptions(entity(list, 'Rob Lindqvist')).includes('The trade secretary'));
  });
});

describe('organisations and places', () => {
  it('get descriptions from their appositives and copulas, with heads of their own kind', () => {
    const list = entitiesOf(
      'Ballots\n\nFairwind Watch, an advocacy group based in Ohio, sued the state on Monday. ' +
        'Nevada is a swing state, and Fairwind Watch plans to sue there too.\n',
    );
    const group = entity(list, 'Fairwind Watch');
    assert.equal(group.kind, 'organization');
    assert.deepEqual(descriptions(group), ['an advocacy group based in Ohio']);
    const nevada = entity(list, 'Nevada');
    assert.equal(nevada.kind, 'place');
    assert.deepEqual(descriptions(nevada), ['a swing state']);
  });

  it('a lower-case title before an organisation is read without the verb before it ("to buy security software maker X")', () => {
    const list = entitiesOf(
      'Deal\n\nShares in Delmont rose on Monday after the firm agreed to buy security software maker Quorvex Systems for $40m, its chief executive said.\n',
    );
    const q = entity(list, 'Quorvex Systems');
    assert.equal(q.kind, 'organization');
    assert.deepEqual(descriptions(q), ['security software maker']);
  });

  it('a list of names is not a description ("Lotus Club, The Harbor Club of Dunmore, …")', () => {
    const list = entitiesOf(
      'Clubs\n\nHe belonged to the Lotus Club, The Harbor Club of Dunmore, and the Fenwick Rowing Club, friends said.\n',
    );
    for (const e of list.filter((x) => x.kind === 'organization')) assert.deepEqual(descriptions(e), [], e.name);
  });

  it('a head noun after an organisation ("the Dalworth newspaper chain") describes it', () => {
    const list = entitiesOf('Court\n\nThe Herald and the Dalworth newspaper chain asked the court to unseal the file.\n');
    const chain = entity(list, 'Dalworth');
    assert.equal(chain.kind, 'organization');
    assert.deepEqual(descriptions(chain), ['newspaper chain']);
  });

  it('a parenthesised party-state label is not an alias; initials are', () => {
    const list = entitiesOf(
      'Grain\n\nRep. Tom Haverly (D-Ohio) met the Northern Grain Council (NGC) on Monday. The NGC said prices would rise.\n',
    );
    assert.ok(!entity(list, 'Tom Haverly').aliases.includes('D-Ohio'));
    assert.ok(entity(list, 'Northern Grain Council').aliases.includes('NGC'));
  });
});

describe('kinds', () => {
  it('a country or region is a place, a nationality other, a designation other, a law or war other', () => {
    assert.equal(kindFromName('Moldova'), 'place');
    assert.equal(kindFromName('North Korea'), 'place');
    assert.equal(kindFromName('Indo-Pacific'), 'place');
    assert.equal(kindFromName('Bolivian'), 'other');
    assert.equal(kindFromName('XR-17'), 'other');
    assert.equal(kindFromName('Clean Rivers Act'), 'other');
    assert.equal(kindFromName('Treaty of Harrowgate'), 'other');
    assert.equal(kindFromName('Southern Fleet Command'), 'organization');
    assert.equal(kindFromName('Valdor Prefecture'), 'place');
    assert.equal(kindFromName('Mara Quell'), null);
  });

  it('a country is never a person, and hardware followed by a weapon noun is other', () => {
    const list = entitiesOf(
      'Arms\n\nMoldova said on Monday it had bought Stormhammer cruise missiles and twelve XR-17 fighters. ' +
        'Moldova, a landlocked country, wants more Stormhammer missiles.\n',
    );
    const moldova = entity(list, 'Moldova');
    assert.equal(moldova.kind, 'place');
    assert.deepEqual(descriptions(moldova), ['a landlocked country']);
    for (const e of list.filter((x) => /Stormhammer|XR-17/.test(x.name))) assert.equal(e.kind, 'other', e.name);
  });

  it('analyze lists no country, nationality or designation among people, whatever the tagger read', () => {
    const text = 'Moldova and Ana Rusu: Rusu met Bolivian envoys by the XR-17.';
    const span = (t: string) => ({ start: text.indexOf(t), end: text.indexOf(t) + t.length, text: t, kind: 'person' as const });
    const names = personNames([span('Moldova'), span('Ana Rusu'), { ...span('Rusu'), start: text.lastIndexOf('Rusu'), end: text.lastIndexOf('Rusu') + 4 }, span('Bolivian'), span('XR-17')]);
    assert.deepEqual(names.map((n) => [n.text, n.name]), [['Ana Rusu', 'Ana Rusu'], ['Rusu', 'Ana Rusu']]);
  });

  it('a name seen only in the headline is not an entity', () => {
    const list = entitiesOf('Grumbling Pelham Vows Revenge\n\nThe council met on Tuesday and the budget passed without debate.\n');
    assert.ok(!list.some((e) => /Pelham/.test(e.name)), list.map((e) => e.name).join(', '));
  });
});

describe('names within a document', () => {
  it('a middle initial and a title glued to the name do not split a person', () => {
    const list = entitiesOf(
      'Hearing\n\nJohn Q. Harlowe opened the hearing. Later John Harlowe left early. Chair Maria Ostrander closed it.\n',
    );
    const john = list.filter((e) => /Harlowe/.test(e.name));
    assert.equal(john.length, 1, john.map((e) => e.name).join(', '));
    const maria = entity(list, 'Maria Ostrander');
    assert.ok(descriptions(maria).includes('Chair'), descriptions(maria).join(' / '));
  });
});

describe('credits', () => {
  it('reporters and editors credited in the text are people with that role', () => {
    const list = entitiesOf(
      'Flood warning for the valley\n\nThe river rose two metres overnight and the town council ordered the lower streets cleared before dawn, officials said on Monday.\n\n' +
        'Residents were told to move cars to higher ground and to keep away from the old bridge until engineers had checked it.\n\n' +
        '--additional reporting from Pia Lundqvist.\n\n(Reporting by Aki Mossberg; Editing by Ben Tarrant)\n',
    );
    const pia = entity(list, 'Pia Lundqvist');
    assert.equal(pia.kind, 'person');
    assert.equal(pia.descriptions[0]?.role, 'reporter');
    assert.equal(entity(list, 'Aki Mossberg').descriptions[0]?.role, 'reporter');
    assert.equal(entity(list, 'Ben Tarrant').descriptions[0]?.role, 'editor');
  });

  it('a "written by" inside a sentence is not a credit; the front matter’s author is', () => {
    const list = entitiesOf(
      '---\ntitle: Letters\nauthor: Jane Rowntree\n---\nLetters\n\nThe letter, written by Home Office Minister Lord Dunsby, was read aloud.\n',
    );
    const jane = entity(list, 'Jane Rowntree');
    assert.deepEqual(jane.descriptions.map((d) => [d.text, d.role]), [['author', 'author']]);
    assert.ok(!list.some((e) => e.descriptions.some((d) => d.role && /Dunsby/.test(e.name))));
  });
});

describe('abbreviations', () => {
  it('a dot after a title, an initial or a dotted abbreviation does not end a sentence', () => {
    for (const s of ['Mrs. X', 'Sen. X', 'U.S. X', 'J. X', 'Jr. X', 'Gov. X']) assert.ok(isAbbreviationDot(s, s.indexOf('.') + (s.startsWith('U.S.') ? 2 : 0)), s);
    assert.ok(!isAbbreviationDot('the vote. Then', 8));
  });
});
