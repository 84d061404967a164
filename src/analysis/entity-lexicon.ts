/**
 * General word lists for per-document entity analysis (src/analysis/people.ts):
 * the head nouns that make a phrase a description of a person, an
 * organisation or a place; abbreviations that do not end a sentence; and a
 * gazetteer of countries, nationalities and major regions (general
 * knowledge, so that a country is never taken for a person). Nothing here is
 * drawn from any one document.
 */

const list = (s: string): Set<string> => new Set(s.trim().split(/\s+/));

/** Nouns that head a description of a person ("a Chinese military expert", "Stein spokeswoman"). */
export const PERSON_HEADS = list(`
president vice-president minister secretary spokesperson spokesman spokeswoman spokesmen expert analyst professor
diplomat official counterpart leader commander chief head director ambassador envoy adviser advisor general admiral
colonel officer governor senator mayor king queen prince princess emperor premier chancellor chairman chairwoman
chair chairperson ceo cfo coo cto founder co-founder executive editor correspondent reporter journalist columnist
writer author historian economist strategist researcher scholar fellow lawmaker legislator politician candidate
nominee deputy representative member lawyer attorney counsel judge justice prosecutor activist consultant engineer
scientist master boss manager owner partner dean lecturer captain lieutenant sergeant marshal pope bishop cleric imam
rabbi pastor priest reverend surrogate pollster host anchor commentator pundit moderator congressman congresswoman
congressmen assemblyman assemblywoman councilman councilwoman councillor councilor alderman commissioner
superintendent sheriff detective inspector constable trooper aide assistant staffer treasurer comptroller auditor
administrator regulator trustee provost principal teacher student doctor physician surgeon nurse psychiatrist
psychologist soldier veteran marine sailor pilot icon winner laureate counselor counsellor magnate tycoon mogul
billionaire millionaire businessman businesswoman entrepreneur investor banker financier philanthropist donor
environmentalist campaigner organizer organiser protester demonstrator advocate critic supporter ally rival opponent
challenger incumbent successor predecessor speaker whip delegate negotiator mediator monitor inspector investigator
actor actress singer musician artist producer comedian rapper novelist poet photographer designer architect
coach player striker goalkeeper athlete champion owner heir heiress widow widower wife husband daughter son mother
father brother sister uncle aunt nephew niece cousin grandson granddaughter grandmother grandfather fiance fiancee
girlfriend boyfriend friend colleague mentor protege lady democrat republican tory conservative liberal socialist
specialist academic economist contractor operative fundraiser lobbyist manager chancellor secretary-general
viceroy sultan emir sheikh ayatollah dictator strongman warlord militant commander-in-chief officeholder
guard worker employee clerk farmer rancher miner driver mechanic electrician plumber carpenter waiter waitress cashier
accountant dentist pharmacist veterinarian firefighter paramedic cop agent programmer technician retiree homemaker
housewife volunteer intern resident native graduate alumnus alumna junior sophomore freshman mom dad bartender chef
paralegal instructor tutor coordinator supervisor foreman
`);

/** Nouns that head a description of an organisation ("the advocacy group", "a super PAC", "the bank"). */
export const ORG_HEADS = list(`
group union fund bank bureau agency company firm corporation chain network broadcaster newspaper magazine website
publisher studio label club team league federation association organisation organization charity foundation
think-tank tank institute center centre university college school hospital court department ministry office
service army navy militia movement party coalition alliance bloc committee commission council board watchdog pac
lobby manufacturer maker retailer carrier airline supplier operator provider giant conglomerate subsidiary startup
start-up exchange body authority outlet daily paper tabloid channel station nonprofit non-profit ngo campaign
administration government cabinet parliament legislature assembly senate congress regime insurer lender bureau
brand developer contractor producer consultancy firm
`);

/** Nouns that head a description of a place ("a swing state", "the Southeast Asian nation"). */
export const PLACE_HEADS = list(`
country nation state city town village region province county district capital island islands territory republic
kingdom neighborhood neighbourhood area port peninsula continent borough suburb municipality enclave archipelago
battleground metropolis hub
`);

/** Abbreviated titles before a name ("Sen.", "Rep.", "Lt. Gen."), without the dot. */
export const TITLE_ABBREVIATIONS = list(`
sen rep gov gen lt col maj capt adm sgt cmdr cdr supt atty amb pres sec secy insp det cpl pvt brig hon rev fr
lt-gen maj-gen brig-gen dep asst comm cllr
`);

/**
 * Words that, with a dot, do not end a sentence: courtesy titles, abbreviated
 * titles, name suffixes, company suffixes, months and the like ("Mrs.", "Jr.",
 * "Inc.", "Sept."). Single letters (initials) and dotted forms ("U.S.") are
 * recognised by shape.
 */
export const ABBREVIATIONS = new Set([
  ...TITLE_ABBREVIATIONS,
  ...list(`mr mrs ms mx dr prof st jr sr inc co corp ltd llc plc no vs etc jan feb mar apr jun jul aug sep sept oct
  nov dec mt ft gov't dept univ assn est approx ave blvd`),
]);

/** Lower-case modifiers ending in -ed or -ing that stand in titles ("retired general", "acting director"). */
export const TITLE_PARTICIPLES = list(`
retired elected appointed acting outgoing incoming leading ruling sitting governing founding visiting reigning
disgraced embattled indicted jailed ousted exiled designated presumptive
`);

/** Words that judge rather than describe: a phrase with one is an opinion, not a role ("a good prime minister"). */
export const EVALUATIVE = list(`good bad great better best worse worst terrible awful excellent poor fine real true fake weak strong incredible amazing wonderful brilliant horrible lousy`);

/** Head nouns of weapons and hardware: "Tomahawk cruise missiles", "F-35 fighters" are not people. */
export const WEAPON_HEADS = list(`
missile missiles rocket rockets jet jets fighter fighters bomber bombers drone drones tank tanks submarine submarines
destroyer destroyers frigate frigates carrier carriers warship warships launcher launchers interceptor interceptors
aircraft helicopter helicopters rifle rifles gun guns howitzer howitzers vessel vessels satellite satellites
system systems warhead warheads munition munitions shell shells torpedo torpedoes plane planes
`);

/**
 * Countries, major regions and nationalities, lower case (general knowledge).
 * A name here is a place (the nationalities are 'other'), never a person.
 */
export const COUNTRIES = new Set(
  `afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh
  barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina burundi cambodia
  cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark djibouti dominica
  ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada
  guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan
  jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein
  lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova
  monaco mongolia montenegro morocco mozambique myanmar burma namibia nauru nepal netherlands holland nicaragua niger
  nigeria norway oman pakistan palau palestine panama paraguay peru philippines poland portugal qatar romania russia
  rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland
  syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu uganda ukraine uruguay
  uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe britain england scotland wales us usa uk america
  europe asia africa antarctica oceania scandinavia balkans caucasus`.split(/\s+/).filter(Boolean),
);

/** Several-word country and region names, as name keys (lower case, no dots). */
export const MULTIWORD_PLACES = new Set(
  [
    'united states', 'united states of america', 'united kingdom', 'great britain', 'north korea', 'south korea',
    'south africa', 'saudi arabia', 'new zealand', 'sri lanka', 'costa rica', 'el salvador', 'sierra leone',
    'czech republic', 'dominican republic', 'central african republic', 'ivory coast', 'east timor', 'south sudan',
    'north macedonia', 'papua new guinea', 'united arab emirates', 'middle east', 'latin america', 'south america',
    'north america', 'central america', 'southeast asia', 'east asia', 'south asia', 'central asia', 'west africa',
    'east africa', 'north africa', 'western europe', 'eastern europe', 'the west', 'indo-pacific', 'asia-pacific',
    'asia pacific', 'indo pacific', 'gaza strip', 'west bank', 'hong kong', 'persian gulf', 'south china sea',
    'east china sea', 'taiwan strait', 'korean peninsula',
  ].map((s) => s.replace(/-/g, ' ')),
);

/** Nationality and regional adjectives ("Chinese", "European"): kind 'other', never a person. */
export const NATIONALITIES = new Set(
  `afghan albanian algerian american angolan argentine argentinian armenian australian austrian azerbaijani bangladeshi
  belarusian belgian bolivian bosnian brazilian british bulgarian burmese cambodian cameroonian canadian chilean
  chinese colombian congolese croatian cuban cypriot czech danish dutch ecuadorian egyptian emirati english eritrean
  estonian ethiopian european filipino finnish french georgian german ghanaian greek guatemalan haitian honduran
  hungarian icelandic indian indonesian iranian iraqi irish israeli italian jamaican japanese jordanian kazakh kenyan
  korean kosovar kuwaiti kyrgyz lao latvian lebanese liberian libyan lithuanian malaysian malian maltese mexican
  moldovan mongolian montenegrin moroccan mozambican namibian nepali nigerian nigerien norwegian omani pakistani
  palestinian panamanian paraguayan peruvian polish portuguese qatari romanian russian rwandan saudi scottish senegalese
  serbian singaporean slovak slovenian somali spanish sri sudanese swedish swiss syrian taiwanese tajik tanzanian thai
  tunisian turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni zambian zimbabwean
  asian african arab western eastern latino hispanic`.split(/\s+/).filter(Boolean),
);
