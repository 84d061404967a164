/**
 * Word lists the quote attributor relies on: speech verbs, words that end a
 * noun phrase, titles, organisation and place words. General English, not
 * drawn from any one document.
 */

const SPEECH_LEMMAS = [
  'say', 'tell', 'warn', 'emphasize', 'emphasise', 'stress', 'state', 'add', 'note', 'claim', 'report',
  'write', 'ask', 'answer', 'reply', 'respond', 'explain', 'insist', 'argue', 'declare', 'announce',
  'acknowledge', 'admit', 'assert', 'contend', 'counter', 'complain', 'concede', 'continue', 'call',
  'charge', 'comment', 'conclude', 'confirm', 'deny', 'disclose', 'quip', 'joke', 'recall', 'remark',
  'reiterate', 'reveal', 'suggest', 'testify', 'tweet', 'post', 'urge', 'vow', 'pledge', 'promise',
  'predict', 'observe', 'proclaim', 'boast', 'shout', 'yell', 'scream', 'whisper', 'mutter', 'tout',
  'underscore', 'highlight', 'express', 'maintain', 'mention', 'quote', 'cite', 'accuse', 'slam', 'blast',
  'criticize', 'criticise', 'praise', 'lament', 'caution', 'advise', 'demand', 'recount', 'describe',
  'dub', 'label', 'brand', 'term', 'read', 'begin', 'tease', 'laugh', 'sigh', 'exclaim', 'interject',
  'chime', 'retort', 'snap', 'declare', 'inform', 'assure', 'allege', 'announce', 'agree', 'decry',
  'denounce', 'condemn', 'mock', 'scoff', 'thunder', 'fume', 'rail', 'lash', 'hit', 'fire', 'shoot',
  'point', 'put', 'wonder', 'speculate', 'estimate', 'forecast', 'warn', 'tweet', 'retweet', 'text',
  'email', 'e-mail', 'message', 'plead', 'beg', 'implore', 'prod', 'press', 'challenge', 'vent', 'rant',
  'muse', 'posit', 'opine', 'suppose', 'predict', 'recommend', 'propose', 'characterize', 'characterise',
  'summarize', 'summarise', 'conclude', 'testify', 'swear', 'vow', 'threaten', 'bark', 'growl', 'chant',
  'echo', 'confess', 'thank', 'demur', 'concur', 'argue', 'think', 'believe', 'recall', 'remember',
  'fear', 'worry', 'hope', 'acknowledge', 'joke', 'gush', 'rave', 'grumble', 'groan', 'cheer', 'tweet',
  'insist', 'scold', 'rebuke', 'attack', 'ridicule', 'dismiss', 'applaud', 'welcome', 'defend', 'apologize',
  'apologise', 'confide', 'refer', 'coin', 'knock', 'trash', 'deride', 'hail', 'pronounce', 'sing', 'preach', 'lecture', 'greet', 'instruct', 'signal',
];

const IRREGULAR: Record<string, string[]> = {
  say: ['said', 'says', 'saying'],
  tell: ['told', 'tells', 'telling'],
  write: ['wrote', 'writes', 'writing', 'written'],
  read: ['reads', 'reading'],
  begin: ['began', 'begins', 'beginning'],
  hit: ['hits', 'hitting'],
  think: ['thought', 'thinks', 'thinking'],
  sing: ['sang', 'sings', 'singing'],
  feel: ['felt', 'feels'],
  put: ['puts', 'putting'],
  shoot: ['shot', 'shoots'],
  swear: ['swore', 'swears', 'sworn'],
  snap: ['snapped', 'snaps', 'snapping'],
  quip: ['quipped', 'quips', 'quipping'],
  dub: ['dubbed', 'dubs', 'dubbing'],
  email: ['emailed', 'emails'],
  'e-mail': ['e-mailed', 'e-mails'],
  text: ['texted', 'texts'],
  rail: ['railed', 'rails'],
  label: ['labeled', 'labelled', 'labels'],
  sigh: ['sighed', 'sighs'],
};

function inflect(lemma: string): string[] {
  const forms = new Set([lemma]);
  const irregular = IRREGULAR[lemma];
  if (irregular) for (const f of irregular) forms.add(f);
  else {
    const stem = lemma.endsWith('e') ? lemma.slice(0, -1) : lemma;
    const y = /[^aeiou]y$/.test(lemma);
    forms.add(y ? `${lemma.slice(0, -1)}ies` : /(s|sh|ch|x|z)$/.test(lemma) ? `${lemma}es` : `${lemma}s`);
    forms.add(y ? `${lemma.slice(0, -1)}ied` : `${stem}ed`);
    forms.add(`${stem}ing`);
  }
  return [...forms];
}

/** Inflected form → lemma. */
export const SPEECH_VERBS = new Map<string, string>();
for (const lemma of SPEECH_LEMMAS) for (const f of inflect(lemma)) SPEECH_VERBS.set(f, lemma);

/** Verbs that attribute only when a quotation follows them closely (they are common in other senses). */
export const WEAK_SPEECH = new Set([
  'call', 'continue', 'hit', 'fire', 'shoot', 'point', 'put', 'begin', 'read', 'report', 'post', 'text',
  'press', 'challenge', 'agree', 'express', 'term', 'brand', 'label', 'describe', 'characterize',
  'characterise', 'dub', 'message', 'cite', 'quote', 'threaten', 'promise', 'estimate', 'forecast',
  'propose', 'recommend', 'suppose', 'laugh', 'rail', 'lash', 'mock', 'vent', 'thunder', 'fume',
  'thank', 'think', 'believe', 'remember', 'fear', 'worry', 'hope', 'cheer', 'attack', 'dismiss', 'welcome',
  'defend', 'sing', 'greet', 'instruct', 'signal', 'echo', 'refer', 'coin', 'knock', 'trash', 'hail',
]);

export const PRONOUNS = new Set(['he', 'she', 'they', 'we', 'i', 'it', 'you']);

export const DETERMINERS = new Set([
  'the', 'a', 'an', 'this', 'these', 'those', 'his', 'her', 'their', 'its', 'our', 'my', 'your', 'some',
  'many', 'several', 'another', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine',
  'ten', 'each', 'every', 'both', 'most', 'other', 'few', 'numerous', 'multiple', 'any', 'no',
]);

/** Lower-case words that cannot be inside a speaker's noun phrase. */
export const NP_STOP = new Set([
  'of', 'and', 'or', 'but', 'nor', 'so', 'yet', 'that', 'which', 'who', 'whom', 'whose', 'what', 'when', 'where',
  'while', 'as', 'because', 'if', 'unless', 'since', 'after', 'before', 'until', 'though', 'although',
  'with', 'in', 'on', 'at', 'by', 'to', 'from', 'for', 'during', 'than', 'about', 'into', 'over', 'under',
  'against', 'between', 'through', 'without', 'within', 'upon', 'via', 'per', 'like', 'also', 'not', 'never',
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'has', 'have', 'had', 'do', 'does', 'did', 'will',
  'would', 'can', 'could', 'should', 'may', 'might', 'must', 'shall', 'him', 'them', 'us', 'me', 'there',
  'here', 'then', 'now', 'just', 'even', 'only', 'still', 'again', 'however', 'therefore', 'thus', 'later',
  'earlier', 'once', 'today', 'yesterday', 'tomorrow', 'tonight', 'too', 'very', 'how', 'why', 'all',
  'such', 'it', 'he', 'she', 'they', 'we', 'i', 'you', 'said', 'says', 'according', 'up', 'out', 'off',
  'down', 'around', 'across', 'along', 'among', 'toward', 'towards', 'despite', 'amid', 'whether',
  'saying', 'adding', 'noting', 'told', 'asked', 'including', 'whatever', 'whoever', 'else', 'ago',
  'back', 'already', 'instead', 'rather', 'well', 'last', 'next', 'first', 'second', 'finally',
]);

/** Words between a subject and its verb: "Trump later said", "she has also stated". */
export const VERB_PRELUDE = new Set([
  'also', 'later', 'then', 'once', 'again', 'has', 'had', 'have', 'was', 'were', 'is', 'are', 'would',
  'will', 'had', 'further', 'finally', 'recently', 'previously', 'reportedly', 'repeatedly', 'quickly',
  'simply', 'just', 'even', 'often', 'frequently', 'never', 'always', 'subsequently', 'publicly',
  'privately', 'separately', 'earlier', 'flatly', 'openly', 'had', 'did', 'does', 'do', 'may', 'might',
  'could', 'can', 'should', 'must', 'once', 'first', 'herself', 'himself', 'themselves', 'not', 'been',
  'being', 'reiterated', 'previously', 'already', 'ultimately',
]);

export const TITLES = new Set([
  'mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'professor', 'sen', 'senator', 'rep', 'representative', 'gov',
  'governor', 'president', 'vice', 'secretary', 'minister', 'prime', 'chancellor', 'premier', 'king',
  'queen', 'prince', 'princess', 'pope', 'judge', 'justice', 'gen', 'general', 'adm', 'admiral', 'col',
  'colonel', 'lt', 'capt', 'captain', 'sgt', 'mayor', 'speaker', 'chairman', 'chairwoman', 'chair',
  'spokesman', 'spokeswoman', 'spokesperson', 'director', 'ambassador', 'commander', 'chief', 'deputy',
  'leader', 'candidate', 'nominee', 'former', 'sir', 'lord', 'lady', 'rev', 'reverend', 'father', 'attorney',
  'ceo', 'founder', 'expert', 'analyst', 'researcher', 'editor', 'correspondent', 'reporter', 'host',
  'anchor', 'adviser', 'advisor', 'aide', 'official', 'officer', 'minister', 'diplomat', 'envoy',
  'lawmaker', 'congressman', 'congresswoman', 'assemblyman', 'councilman', 'councilwoman', 'sheriff',
  'strategist', 'pollster', 'economist', 'historian', 'scholar', 'cabinet', 'foreign', 'defense', 'defence',
  'state', 'national', 'security', 'adviser', 'press', 'campaign', 'manager', 'chairperson', 'head',
]);

/** Capitalised words that make a name an organisation. */
export const ORG_WORDS = new Set([
  'news', 'agency', 'times', 'post', 'ministry', 'department', 'party', 'committee', 'council', 'office',
  'university', 'institute', 'center', 'centre', 'association', 'corporation', 'inc', 'company', 'bank',
  'network', 'daily', 'shimbun', 'journal', 'press', 'commission', 'administration', 'forces', 'force',
  'army', 'navy', 'corps', 'command', 'government', 'senate', 'house', 'congress', 'court', 'embassy',
  'campaign', 'group', 'foundation', 'fund', 'organization', 'organisation', 'union', 'federation',
  'club', 'team', 'media', 'tv', 'radio', 'channel', 'herald', 'tribune', 'review', 'magazine', 'reuters',
  'cnn', 'msnbc', 'fox', 'nbc', 'abc', 'cbs', 'bbc', 'npr', 'pbs', 'tass', 'xinhua', 'pentagon',
  'kremlin', 'gazette', 'telegraph', 'guardian', 'observer', 'globe', 'chronicle', 'examiner', 'wire',
  'politico', 'breitbart', 'poll', 'survey', 'caucus', 'board', 'authority', 'bureau', 'service', 'agency',
  'coalition', 'alliance', 'movement', 'council', 'staff', 'treasury', 'cabinet', 'parliament', 'assembly',
  'legislature', 'police', 'fbi', 'cia', 'nsa', 'nato', 'gop', 'dnc', 'rnc', 'pac', 'llc', 'ltd',
  'corp', 'group', 'institution', 'society', 'school', 'college', 'hospital', 'church', 'network',
  'station', 'project', 'initiative', 'watch', 'report', 'statement', 'website', 'blog', 'site',
  'investigations', 'industries', 'services', 'communications', 'affairs', 'relations', 'studies',
  'systems', 'solutions', 'holdings', 'partners', 'associates', 'enterprises', 'technologies', 'airlines',
  'motors', 'records', 'pictures', 'entertainment', 'labs', 'laboratory', 'academy', 'agencies',
]);

/** A compact list of places (countries, regions, capitals, US states) so that they are not taken for people. */
export const PLACES = new Set(
  (
    'us,usa,u.s,america,united,states,china,japan,russia,korea,taiwan,india,pakistan,iran,iraq,syria,israel,' +
    'palestine,gaza,egypt,turkey,germany,france,britain,england,scotland,wales,ireland,uk,u.k,italy,spain,' +
    'mexico,canada,brazil,cuba,venezuela,ukraine,poland,europe,asia,africa,australia,philippines,vietnam,' +
    'indonesia,afghanistan,libya,yemen,saudi,arabia,qatar,jordan,lebanon,greece,sweden,norway,' +
    'washington,beijing,tokyo,moscow,london,paris,berlin,seoul,pyongyang,taipei,kyiv,kiev,brussels,' +
    'new,york,california,texas,florida,ohio,iowa,nevada,virginia,carolina,pennsylvania,michigan,wisconsin,' +
    'arizona,colorado,georgia,hampshire,jersey,illinois,indiana,minnesota,missouri,utah,oregon,alabama,' +
    'kentucky,tennessee,louisiana,maryland,massachusetts,connecticut,vermont,maine,nebraska,kansas,' +
    'oklahoma,arkansas,mississippi,montana,idaho,wyoming,dakota,alaska,hawaii,delaware,manhattan,' +
    'chicago,boston,philadelphia,atlanta,miami,dallas,houston,detroit,cleveland,denver,vegas,angeles,' +
    'francisco,okinawa,hong,kong,west,east,north,south,pacific,atlantic,middle,white,capitol,hill,street,' +
    'sea,island,islands,strait,peninsula,city,county,state,province,region,valley,district'
  ).split(','),
);

/** Capitalised words that start sentences without naming anyone. */
export const CAPITAL_FUNCTION_WORDS = new Set([
  'the', 'a', 'an', 'in', 'on', 'at', 'however', 'but', 'and', 'meanwhile', 'according', 'it', 'he', 'she',
  'they', 'we', 'this', 'that', 'these', 'those', 'there', 'as', 'for', 'if', 'when', 'while', 'after',
  'before', 'since', 'with', 'without', 'by', 'from', 'to', 'of', 'last', 'next', 'today', 'yesterday',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february',
  'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'i', 'you', 'his', 'her', 'their', 'our', 'its', 'my', 'what', 'why', 'how', 'who', 'where', 'so',
  'also', 'still', 'yet', 'both', 'all', 'some', 'many', 'most', 'one', 'two', 'even', 'now', 'then',
  'furthermore', 'moreover', 'although', 'though', 'because', 'unlike', 'like', 'despite', 'during',
  'recently', 'previously', 'earlier', 'later', 'instead', 'indeed', 'thus', 'here', 'only', 'just',
  'no', 'not', 'yes', 'mr', 'mrs', 'ms', 'dr', 'read', 'more', 'partial', 'editor', 'note', 'update',
]);

/** Heads of nominal speakers that name nobody in particular. */
export const ANONYMOUS_HEADS = new Set([
  'source', 'sources', 'insider', 'insiders', 'person', 'people', 'official', 'officials', 'aide', 'aides',
  'observer', 'observers', 'critic', 'critics', 'supporter', 'supporters', 'expert', 'experts', 'analyst',
  'analysts', 'someone', 'somebody', 'witness', 'witnesses', 'resident', 'residents', 'voter', 'voters',
  'member', 'members', 'staffer', 'staffers', 'lawmakers', 'diplomats', 'protesters', 'protestors',
]);

/** Rough families of role words, so that "the diplomat" can find "spokesperson Lin Jian". */
export const ROLE_FAMILIES: string[][] = [
  ['diplomat', 'spokesperson', 'spokesman', 'spokeswoman', 'minister', 'ambassador', 'envoy', 'foreign', 'ministry'],
  ['expert', 'analyst', 'professor', 'researcher', 'scholar', 'specialist', 'academic', 'fellow'],
  ['pentagon', 'defense', 'defence', 'military', 'general', 'admiral', 'commander', 'master'],
  ['president', 'leader', 'chairman', 'head', 'chief', 'premier', 'prime'],
  ['candidate', 'nominee', 'contender', 'hopeful', 'republican', 'democrat', 'democratic'],
  ['senator', 'lawmaker', 'congressman', 'congresswoman', 'representative', 'legislator'],
  ['official', 'officer', 'secretary', 'minister', 'administrator', 'aide', 'adviser', 'advisor'],
  ['businessman', 'billionaire', 'mogul', 'developer', 'tycoon', 'executive'],
  ['journalist', 'reporter', 'correspondent', 'editor', 'writer', 'columnist', 'host', 'anchor'],
];

/** Lower-case heads that can name someone who speaks (people, groups, documents). */
export const SPEAKER_NOUNS = new Set(
  (
    'source,official,aide,staff,people,person,someone,somebody,crowd,audience,public,poll,survey,study,report,' +
    'statement,campaign,committee,group,organization,organisation,party,government,administration,ministry,' +
    'department,agency,newspaper,paper,website,site,letter,memo,email,e-mail,ad,video,tweet,post,article,story,' +
    'book,document,filing,complaint,lawsuit,release,note,message,transcript,data,analysis,research,press,media,' +
    'network,show,magazine,journal,outlet,team,family,friend,police,military,army,court,judge,jury,council,board,' +
    'panel,commission,union,company,firm,bank,office,house,senate,congress,general,chief,head,staff,host,anchor,' +
    'expert,analyst,diplomat,envoy,pundit,critic,skeptic,democrat,aide,official,lawyer,attorney,fan,activist,' +
    'insider,wife,husband,son,daughter,brother,sister,mom,dad,mother,father,kid,child,children,girl,boy,teen,' +
    'guy,man,woman,men,women,veteran,soldier,cop,agent,colleague,boss,neighbor,neighbour,spokesperson,one,' +
    'another,others,some,many,both,all,few,most,none,each,who,which,that,it,they,he,she,we,i,you,delegate,' +
    'executive,representative,relative,candidate,nominee,secretary,minister,pope,king,queen,prince,author,' +
    'editorial,column,blog,platform,resolution,petition,ruling,opinion,decision,order,summary,account,biography,' +
    'interview,speech,remarks,testimony,caucus,coalition,alliance,movement,foundation,institute,center,centre,' +
    'university,school,college,association,federation,trust,fund,bureau,authority,service,station,channel,' +
    'chair,chairwoman,chairman,cleric,priest,pastor,rabbi,imam,bishop,scientist,doctor,nurse,teacher,student'
  ).split(','),
);
