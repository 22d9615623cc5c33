/**
 * Word lists the rule table builds its patterns from, kept apart so the table itself stays readable.
 * Lists, not open patterns, wherever a loose match would turn small talk into a wrong fact
 * ("I'm a morning person" is not a job; "I have a question" is not a pet).
 */

/** Alternation source for a RegExp: alternatives(['a', 'b c']) → "a|b c". */
export const alternatives = (words: string[]): string => words.join('|');

export const DIETS = alternatives([
  'vegetarian', 'vegan', 'pescatarian', 'pescetarian', 'keto', 'paleo', 'gluten-free', 'dairy-free',
  'flexitarian', 'carnivore', 'plant-based', 'halal', 'kosher', 'raw vegan',
]);

export const PETS = alternatives([
  'dog', 'puppy', 'cat', 'kitten', 'rabbit', 'bunny', 'hamster', 'parrot', 'bird', 'fish', 'goldfish', 'turtle',
  'tortoise', 'snake', 'lizard', 'guinea pig', 'horse', 'ferret', 'gecko', 'budgie', 'pony', 'chinchilla',
]);

export const FAMILY = alternatives([
  'sister', 'brother', 'mom', 'mother', 'mum', 'dad', 'father', 'son', 'daughter', 'kid', 'child', 'baby',
  'grandmother', 'grandma', 'grandfather', 'grandpa', 'aunt', 'uncle', 'cousin', 'niece', 'nephew', 'twin',
  'stepson', 'stepdaughter', 'stepmother', 'stepfather', 'sibling',
]);

export const PARTNERS = alternatives([
  'wife', 'husband', 'partner', 'spouse', 'girlfriend', 'boyfriend', 'fiancee', 'fiancé', 'fiancée', 'fiance',
]);

/** Family words folded to one predicate each: "mum" and "mom" are both `has_mother`. */
const RELATION: Record<string, string> = {
  mom: 'mother', mum: 'mother', dad: 'father', kid: 'child', baby: 'child', grandma: 'grandmother',
  grandpa: 'grandfather', twin: 'sibling',
};

export function relation(word: string): string {
  const w = word.toLowerCase();
  return RELATION[w] ?? w;
}

export const CONDITIONS = alternatives([
  'asthma', 'diabetes', 'type [12] diabetes', 'celiac disease', 'celiac', 'coeliac disease', 'coeliac', 'adhd',
  'migraines', 'high blood pressure', 'hypertension', 'arthritis', 'epilepsy', 'anxiety', 'depression',
  'a bad back', 'back pain', 'insomnia', 'eczema', 'long covid', 'ibs', "crohn's disease", 'a heart condition',
  'sleep apnea',
]);

export const EVENTS = alternatives([
  'appointment', 'meeting', 'interview', 'exam', 'test', 'trip', 'flight', 'wedding', 'party', 'concert',
  'conference', 'vacation', 'holiday', 'surgery', 'operation', 'date', 'deadline', 'presentation', 'match',
  'game', 'race', 'marathon', 'graduation', 'check-up', 'checkup',
]);

/** Endings of job titles; "I am a <…>" is a role only when it ends like one. */
const ROLE_ENDINGS = new RegExp(
  `(?:${alternatives([
    'er', 'or', 'ist', 'ian', 'ant', 'ent', 'eer', 'ive', 'manager', 'lead', 'head', 'architect', 'nurse',
    'doctor', 'chef', 'intern', 'founder', 'ceo', 'cto', 'cfo', 'coo', 'vp', 'pm', 'student', 'analyst',
    'consultant', 'scientist', 'engineer', 'director', 'officer', 'associate', 'specialist', 'freelancer',
    'attorney', 'physician', 'surgeon', 'pilot', 'clerk', 'barista', 'cook', 'postdoc', 'phd candidate',
    'professor', 'tutor', 'coach', 'dentist', 'paramedic', 'pharmacist', 'therapist', 'veterinarian', 'vet',
  ])})$`,
  'i',
);

/** "-er" words (and others) that describe a habit, a taste or kin, not a job. */
const NOT_ROLES = new RegExp(
  `^(?:(?:${alternatives([
    'big', 'huge', 'heavy', 'light', 'early', 'late', 'morning', 'night', 'dog', 'cat', 'coffee', 'tea', 'wine',
    'beer', 'music', 'book', 'movie', 'film', 'sports?', 'picky', 'fast', 'slow', 'good', 'bad', 'terrible',
    'great', 'avid', 'casual', 'regular', 'long-time', 'first-time',
  ])}) )*(?:${alternatives([
    'lover', 'fan', 'person', 'owner', 'drinker', 'eater', 'sleeper', 'beginner', 'member', 'believer', 'user',
    'speaker', 'learner', 'smoker', 'gamer', 'reader', 'watcher', 'fanatic', 'parent', 'patient', 'resident',
    'citizen', 'customer', 'subscriber', 'follower', 'supporter', 'bit', 'little', 'lot', 'mess', 'fool',
    'runner', 'walker', 'swimmer', 'climber', 'hiker', 'rider', 'cyclist', 'traveller', 'traveler', 'foodie',
    'introvert', 'extrovert', 'ambivert', 'mother', 'father', 'grandmother', 'grandfather', 'brother', 'sister',
    'daughter', 'stepmother', 'stepfather',
  ])})$`,
  'i',
);

const DIET_WORD = new RegExp(`(?:${DIETS})$`, 'i');

export function isRole(text: string | undefined): boolean {
  const t = (text ?? '').trim();
  const words = t.split(/\s+/).length;
  return t.length > 0 && words <= 5 && ROLE_ENDINGS.test(t) && !NOT_ROLES.test(t) && !DIET_WORD.test(t);
}

/** Objects that are pronouns, clauses or filler ("I love it when …", "I'm learning a ton") carry no fact. */
export const VAGUE_OBJECT = new RegExp(
  `^(?:(?:${alternatives([
    'you', 'it', 'this', 'that', 'these', 'those', 'them', 'him', 'her', 'how', 'when', 'what', 'why', 'where',
    'who', 'which', 'if', 'whether', 'the way', 'to be', 'being', 'so', 'too', 'very',
  ])})\\b|(?:${alternatives(['to', 'a ton', 'a lot', 'a bit', 'lots', 'much', 'more', 'it all', 'everything', 'anything', 'nothing'])})$)`,
  'i',
);
