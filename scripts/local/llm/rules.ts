/**
 * THE RULE TABLE of the offline stand-in's extractor: which first-person statements become memories.
 *
 * Each rule is tried, in order, on one clause in normal form (see language.ts: "I am", "do not", no
 * fillers, the time phrase already cut out); the first rule with a matching pattern wins. Patterns are
 * anchored at both ends and case-insensitive; named groups feed the builders (`x` is the usual object).
 *   predicate  normalised snake_case name; `single` = one value at a time (a new value ends the old)
 *   object     the triple's object; an empty result drops the fact
 *   text       the memory text; default = the clause in third person ("I am building X" → "Is building X")
 *   entities   default = [object without its article]
 *   tense      'future' resolves "on Friday" forwards (plans); default 'past'
 *   dateStyle  how a resolved time phrase joins the text: 'event' "… in April 2025" (default),
 *              'since' "… (since April 2025)"
 *   keepDate   match the clause with its time phrase still in it: the date IS the object ("my birthday
              is on March 3") or belongs to someone else ("my sister Anna is getting married in June")
 *   needsDate  match only when the clause had a time phrase ("my wedding is on June 3")
 *   negates    the statement ENDS a memory with this predicate and object ("I left Google")
 *   also       more facts from the same match ("promoted to X at Y" → role X and works_at Y)
 * Order matters where patterns overlap: diet before role ("I am a vegan"), work before projects
 * ("I am working at" / "I am working on").
 */
import type { Tense } from './dates.js';
import { capitalise, cleanObject, isProper, listItems, snake, swapPronouns } from './language.js';
import { CONDITIONS, DIETS, EVENTS, FAMILY, PARTNERS, PETS, isRole, relation } from './vocabulary.js';

export type Groups = Readonly<Record<string, string | undefined>>;

export interface FactTemplate {
  predicate: string | ((g: Groups) => string);
  object: (g: Groups) => string;
  kind?: 'fact' | 'preference';
  categories: string[];
  single?: boolean;
  text?: (g: Groups) => string;
  entities?: (g: Groups) => string[];
  negates?: boolean;
}

export interface Rule extends FactTemplate {
  id: string;
  patterns: RegExp[];
  accept?: (g: Groups) => boolean;
  tense?: Tense;
  dateStyle?: 'event' | 'since';
  keepDate?: boolean;
  needsDate?: boolean;
  also?: FactTemplate[];
}

const re = (source: string): RegExp => new RegExp(`^${source}$`, 'i');
/** `(?:a|b|c)` from a word list, so long verb lists read as lists. */
const anyOf = (...words: string[]): string => `(?:${words.join('|')})`;
const x = (g: Groups): string => cleanObject(g.x);
const org = (g: Groups): string => cleanObject(g.org);
const role = (g: Groups): string => cleanObject(g.role);
const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');
const AS_ROLE = '(?: as (?:an? |the )?(?<role>.+))?';
/** "my sister Anna …", "my dog's name is Rex …", "my wife, Sarah, …": a relation, a capitalised name, the rest. */
const named = (relations: string): RegExp =>
  re(`my (?<rel>${relations})(?:'s name is| is (?:called|named)|,)? (?<name>[A-Z][\\w-]*)(?<rest>.*)`);
/** The pet rule's animal: "I have a dog" names it `animal`, "my dog is called Rex" (`named`) names it `rel`. */
const animal = (g: Groups): string => g.animal ?? g.rel ?? '';

// Verb groups, named so the patterns below stay one readable line each.
const BECAME = anyOf('am', 'have been', 'have gone', 'went', 'became', 'have become', 'turned');
const THAN = anyOf('over', 'to', 'more than', 'rather than', 'instead of', 'than');
const STOPPED_WORK = anyOf(
  'no longer work', 'do not work', 'resigned from', '(?:was|got) laid off from', '(?:was|got) fired from', 'stopped working',
);
const STARTED = anyOf('started', 'have started', 'began', 'am starting', 'will start', 'will be starting', 'start');
const JOINED = anyOf(
  'joined', 'have joined', 'am joining', 'got a (?:new )?job at', '(?:got|was) hired (?:at|by)', 'accepted an offer (?:at|from)',
);
const LIVE = anyOf('live', 'am living', 'have been living', 'have lived', 'reside', 'am based', 'am staying', 'am settled');
const INTEND = anyOf('plan', 'am planning', 'intend', 'am going', 'will try', 'have decided', 'decided');
const MAKING = anyOf(
  'building', 'developing', 'making', 'creating', 'writing', 'coding', 'designing', 'working on', 'prototyping', 'hacking on',
  'launching',
);

const worksAt: FactTemplate = { predicate: 'works_at', single: true, categories: ['work'], object: org, text: (g) => `Works at ${org(g)}` };
const roleFact: FactTemplate = {
  predicate: 'role', single: true, categories: ['work'], object: role, text: (g) => `Is ${article(role(g))} ${role(g)}`,
};

export const RULES: Rule[] = [
  // Identity
  { id: 'name', patterns: [re("my name(?: is|'s) (?<x>.+)"), re('(?:please |you can )?call me (?<x>.+)'), re('I go by (?<x>.+)')],
    predicate: 'name', single: true, categories: ['identity'], object: x, text: (g) => `Is named ${x(g)}`,
    accept: (g) => isProper(g.x) && x(g).split(' ').length <= 4 },
  { id: 'age', patterns: [re('I am (?<x>\\d{1,3})(?: years old| yo)?')],
    predicate: 'age', single: true, categories: ['identity'], object: x, text: (g) => `Is ${x(g)} years old` },
  { id: 'hometown', patterns: [re('I am (?:originally )?from (?<x>.+)'), re('I grew up in (?<x>.+)')],
    predicate: 'from', single: true, categories: ['identity', 'location'], object: x, accept: (g) => isProper(g.x) },

  // Food and health
  { id: 'diet',
    patterns: [
      re(`I ${BECAME} (?:an? |fully |strictly )?(?<x>${DIETS})(?: diet)?`),
      re(`I (?:follow|am on|eat) an? (?<x>${DIETS}) diet`),
    ],
    predicate: 'diet', single: true, categories: ['food', 'health'], dateStyle: 'since',
    object: (g) => x(g).toLowerCase(), text: (g) => `Is ${x(g).toLowerCase()}`, entities: () => [] },
  { id: 'no-meat', patterns: [re('I (?:do not|no longer|never) eat (?:any )?meat'), re('I (?:stopped|quit) eating meat'), re('I gave up meat')],
    predicate: 'diet', single: true, categories: ['food', 'health'], dateStyle: 'since',
    object: () => 'vegetarian', text: () => 'Does not eat meat (vegetarian)', entities: () => ['meat'] },
  { id: 'avoids', patterns: [re('I (?:do not|no longer|never|cannot) (?<verb>eat|drink) (?<x>.+)')],
    predicate: 'avoids', categories: ['food'], object: x, text: (g) => `Does not ${g.verb ?? 'eat'} ${x(g)}`,
    entities: (g) => listItems(x(g)) },
  { id: 'allergy',
    patterns: [
      re('I am (?:(?:very|severely|deathly|highly|mildly|slightly) )?allergic to (?<x>.+)'),
      re('I have (?:an? |severe |bad )*(?<x>.+?) allerg(?:y|ies)'),
      re('I have (?:an? )?allerg(?:y|ies) to (?<x>.+)'),
    ],
    predicate: 'allergic_to', categories: ['health'], object: x, text: (g) => `Is allergic to ${x(g)}`,
    entities: (g) => listItems(x(g)) },
  { id: 'intolerance', patterns: [re('I am (?<x>lactose|gluten|fructose|histamine) intolerant')],
    predicate: 'intolerant_to', categories: ['health', 'food'], object: x, text: (g) => `Is ${x(g)} intolerant` },
  { id: 'condition',
    patterns: [re(`I ${anyOf('have', 'suffer from', 'live with', 'have been diagnosed with', 'was diagnosed with')} (?<x>${CONDITIONS})`)],
    predicate: 'has_condition', categories: ['health'], object: x },

  // Preferences
  { id: 'prefers-over',
    patterns: [
      re(`I (?:much |strongly )?(?:prefer|would rather have) (?<x>.+?) ${THAN} (?<y>.+)`),
      re(`I (?:like|love|enjoy) (?<x>.+?) ${anyOf('more than', 'better than', 'over', 'instead of')} (?<y>.+)`),
    ],
    predicate: 'prefers', kind: 'preference', categories: ['preferences'], object: x,
    text: (g) => `Prefers ${x(g)} over ${cleanObject(g.y)}`, entities: (g) => [...listItems(x(g)), ...listItems(cleanObject(g.y))] },
  { id: 'prefers', patterns: [re('I (?:would )?prefer (?<x>.+)')],
    predicate: 'prefers', kind: 'preference', categories: ['preferences'], object: x, text: (g) => `Prefers ${x(g)}` },
  { id: 'favourite',
    patterns: [
      re('my (?:all[- ]time |absolute )?favou?rite (?<what>[a-z -]+?) (?:is|are|has to be|would be) (?<x>.+)'),
      re('(?<x>.+?) (?:is|are) my (?:all[- ]time |absolute )?favou?rite (?<what>[a-z -]+)'),
    ],
    predicate: (g) => `favorite_${snake(g.what ?? 'thing')}`, single: true, kind: 'preference', categories: ['preferences'],
    object: x, text: (g) => `Favourite ${cleanObject(g.what)} is ${x(g)}` },
  { id: 'dislikes',
    patterns: [
      re(`I (?<verb>${anyOf('hate', 'dislike', 'detest', 'loathe', 'despise', 'cannot stand')}) (?<x>.+)`),
      re('I (?:do not|never) (?:like|enjoy|care for|love) (?<x>.+)'),
      re('I am not (?:a |a big |much of a )?(?:fan of|into) (?<x>.+)'),
    ],
    predicate: 'dislikes', kind: 'preference', categories: ['preferences'], object: x, entities: (g) => listItems(x(g)),
    text: (g) => `${g.verb?.toLowerCase() === 'hate' ? 'Hates' : 'Dislikes'} ${x(g)}` },
  { id: 'likes',
    patterns: [
      re('I (?<verb>love|like|enjoy|adore) (?<x>.+)'),
      re(`I am ${anyOf('a (?:big |huge |massive )?fan of', 'into', 'passionate about', 'obsessed with', 'fond of', 'a lover of')} (?<x>.+)`),
    ],
    predicate: 'likes', kind: 'preference', categories: ['preferences'], object: x, entities: (g) => listItems(x(g)),
    text: (g) => `${g.verb ? `${capitalise(g.verb.toLowerCase())}s` : 'Likes'} ${x(g)}` },

  // Work and role
  { id: 'promoted', patterns: [re('I (?:got|have been|was|have gotten|have got) promoted to (?<role>.+?)(?: (?:at|in) (?<org>.+))?')],
    predicate: 'role', single: true, categories: ['work'], object: role, dateStyle: 'since',
    text: (g) => `Was promoted to ${role(g)}${g.org ? ` at ${org(g)}` : ''}`,
    entities: (g) => [role(g), org(g)].filter(Boolean), also: [worksAt] },
  { id: 'left-job',
    patterns: [
      re('I (?:quit|left) my (?:job|position|role) (?:at|with) (?<org>.+)'),
      re(`I ${STOPPED_WORK} (?:at |for )?(?<org>.+)`),
    ],
    predicate: 'works_at', single: true, negates: true, categories: ['work'], object: org },
  { id: 'left', patterns: [re('I (?:quit|left) (?<org>.+)')],
    predicate: 'works_at', single: true, negates: true, categories: ['work'], object: org,
    also: [{ predicate: 'lives_in', single: true, negates: true, categories: ['location'], object: org }] },
  { id: 'started-job',
    patterns: [
      re(`I ${STARTED} (?:working |a (?:new )?job |a new role )?(?:at|with|for) (?<org>.+?)${AS_ROLE}`),
      re(`I ${JOINED} (?<org>.+?)${AS_ROLE}`),
    ],
    ...worksAt, dateStyle: 'since', accept: (g) => isProper(g.org), also: [roleFact] },
  { id: 'works-at',
    patterns: [
      re(`I (?:work|am working|have been working|have worked) (?:at|for) (?<org>.+?)${AS_ROLE}`),
      re(`I am employed (?:at|by) (?<org>.+?)${AS_ROLE}`),
    ],
    ...worksAt, dateStyle: 'since', also: [roleFact] },
  { id: 'works-as', patterns: [re('I work as (?:an? |the )?(?<role>.+?)(?: (?:at|for) (?<org>.+))?')],
    ...roleFact, dateStyle: 'since', also: [worksAt] },
  { id: 'role-at', patterns: [re('I am (?:an? |the )(?<role>.+?) (?:at|for|of) (?<org>.+)')],
    ...roleFact, dateStyle: 'since', accept: (g) => isRole(g.role) && isProper(g.org), also: [worksAt] },
  { id: 'role', patterns: [re('I am (?:an? |the )(?<role>.+)'), re('I (?:became|have become) (?:an? |the )(?<role>.+)')],
    ...roleFact, dateStyle: 'since', accept: (g) => isRole(g.role) },

  // Home and moves
  { id: 'lives-in',
    patterns: [re(`I ${LIVE} in (?<x>.+)`)],
    predicate: 'lives_in', single: true, categories: ['location'], object: x, text: (g) => `Lives in ${x(g)}`,
    dateStyle: 'since', accept: (g) => isProper(g.x) },
  { id: 'moved-out', patterns: [re('I (?:moved out of|moved away from|no longer live in|do not live in) (?<x>.+)')],
    predicate: 'lives_in', single: true, negates: true, categories: ['location'], object: x },
  { id: 'moved', patterns: [re('I (?:moved|have moved|relocated|have relocated|moved back) to (?<x>.+)')],
    predicate: 'lives_in', single: true, categories: ['location'], object: x, text: (g) => `Moved to ${x(g)}`,
    accept: (g) => isProper(g.x) },

  // Family and pets (keepDate: a date in "my sister Anna is getting married in June" is Anna's, not the fact's)
  { id: 'pet', keepDate: true,
    patterns: [
      re(`I (?:have|have got|got|own|adopted) (?:an? |two |three |new )*(?<animal>${PETS})(?:,? (?:named|called) (?<name>.+))?`),
      named(PETS),
    ],
    predicate: 'has_pet', categories: ['family', 'pets'], accept: (g) => g.name === undefined || isProper(g.name),
    object: (g) => [animal(g).toLowerCase(), g.name ? `named ${cleanObject(g.name)}` : ''].join(' ').trim(),
    text: (g) => `Has ${article(animal(g))} ${animal(g).toLowerCase()}${nameText(g)}${restText(g)}`,
    entities: (g) => [cleanObject(g.name), animal(g).toLowerCase()].filter(Boolean) },
  { id: 'partner', keepDate: true,
    patterns: [re('I (?:am|have been|got) married to (?<name>[A-Z][\\w-]*(?: [A-Z][\\w-]*)?)(?: (?:for|since) .+)?'), named(PARTNERS)],
    predicate: 'spouse', single: true, categories: ['family'], accept: (g) => isProper(g.name), object: (g) => cleanObject(g.name),
    text: (g) => (g.rel ? `Has ${article(g.rel)} ${g.rel.toLowerCase()}${nameText(g)}${restText(g)}` : `Is married to ${cleanObject(g.name)}`) },
  { id: 'relative', keepDate: true,
    patterns: [
      named(FAMILY),
      re(`I have an? (?:little |older |younger |big |baby |twin )?(?<rel>${FAMILY})(?:,? (?:named|called) (?<name>.+))?`),
    ],
    predicate: (g) => `has_${relation(g.rel!)}`, categories: ['family'], accept: (g) => g.name === undefined || isProper(g.name),
    object: (g) => cleanObject(g.name) || g.rel!.toLowerCase(),
    text: (g) => `Has ${article(g.rel!)} ${g.rel!.toLowerCase()}${nameText(g)}${restText(g)}` },
  { id: 'children', patterns: [re('I have (?<x>\\d+|two|three|four|five|six) (?<rel>kids|children|sons|daughters|brothers|sisters|siblings)')],
    predicate: (g) => `has_${g.rel!.toLowerCase()}`, categories: ['family'], object: x },

  // Plans and dates
  { id: 'birthday', keepDate: true, patterns: [re('my birthday is (?:on )?(?<x>.+)'), re('I was born on (?<x>.+)')],
    predicate: 'birthday', single: true, categories: ['personal'], object: x, text: (g) => `Birthday is on ${x(g)}` },
  { id: 'trip', tense: 'future',
    patterns: [
      re(`I am ${anyOf('flying', 'travell?ing', 'taking a trip', 'driving', 'going back', 'heading back', 'off', 'moving')} to (?<x>.+)`),
      re('I will be (?:in|visiting|going to|flying to|travell?ing to) (?<x>.+)'),
      re('I am visiting (?<x>.+)'),
      re('I (?:am going|am heading|will go|will fly) to (?<x>[A-Z].*)'),
      re('I have an? (?:trip|flight|holiday|vacation) (?:to|in) (?<x>.+)'),
    ],
    predicate: 'plans', categories: ['plans', 'travel'], object: x, accept: (g) => isProper(g.x) },
  { id: 'intends', tense: 'future', patterns: [re(`I ${INTEND} to (?<x>.+)`)],
    predicate: 'plans', categories: ['plans'], object: x },
  { id: 'event', tense: 'future', needsDate: true,
    patterns: [
      re(`I have an? (?<x>(?:[\\w'-]+ ){0,3}(?:${EVENTS}))(?: (?:at|with|in|for|about) .+)?`),
      re('I am getting (?<x>married|engaged)'),
    ],
    predicate: 'plans', categories: ['plans'], object: x },
  { id: 'event-mine', tense: 'future', needsDate: true,
    patterns: [re(`my (?<x>(?:[\\w'-]+ ){0,3}(?:${EVENTS})) is(?: scheduled| planned| booked)?(?: for)?`)],
    predicate: 'plans', categories: ['plans'], object: x },

  // Projects, skills and tools
  { id: 'project',
    patterns: [re(`I am ${MAKING} (?<x>.+)`)],
    predicate: 'working_on', categories: ['projects'], object: x },
  { id: 'shipped', patterns: [re('I (?:built|launched|shipped|released|published|finished|created) (?<x>.+)')],
    predicate: 'built', categories: ['projects'], object: x },
  { id: 'learning', patterns: [re('I am (?:learning|studying|taking (?:a course|classes|lessons) (?:in|on)) (?<x>.+)')],
    predicate: 'learning', categories: ['education'], object: x },
  { id: 'speaks', patterns: [re('I speak (?<x>.+)')],
    predicate: 'speaks', categories: ['languages'], object: x, entities: (g) => listItems(x(g)) },
  { id: 'uses', patterns: [re('I (?:use|am using|code in|write in|program in|develop in) (?<x>.+)')],
    predicate: 'uses', categories: ['tools'], object: x, entities: (g) => listItems(x(g)) },
  { id: 'plays', patterns: [re('I (?:play|practice|practise) (?<x>.+)')],
    predicate: 'plays', categories: ['hobbies'], object: x, entities: (g) => listItems(x(g)) },
  { id: 'drives', patterns: [re('I (?:drive|own) (?<x>an? .+)')],
    predicate: 'owns', categories: ['possessions'], object: x },
];

/** " named Rex" when the statement names them. */
function nameText(g: Groups): string {
  return g.name ? ` named ${cleanObject(g.name)}` : '';
}

/** ", who is getting married in June" from "my sister Anna is getting married in June". */
function restText(g: Groups): string {
  const rest = swapPronouns(cleanObject(g.rest).replace(/^(?:and|who)\s+/i, ''));
  return rest ? `, who ${rest}` : '';
}
