/**
 * The demo repository's sample theses: 64 items made deterministically (the same every start), in two
 * sets (doctoral dissertations, master's theses), in English, French, German and Spanish (titles with
 * leading articles), one of them deleted. Day granularity: datestamps from 2026-01-05, two items a day.
 */
export interface SampleThesis {
  readonly id: number;
  readonly identifier: string;
  readonly datestamp: string;
  readonly set: string;
  readonly deleted: boolean;
  readonly title: string;
  readonly author: string;
  readonly advisor: string;
  readonly subjects: readonly string[];
  readonly abstract: string;
  readonly issued: string;
  readonly language: string;
  readonly degree: string;
  readonly level: string;
  readonly department: string;
  readonly handle: string;
  readonly pages: number;
}

export const REPOSITORY_NAME = "Nightshift Demo University Repository";
export const GRANTOR = "Nightshift Demo University";
export const SETS = [
  { setSpec: "col_123456789_2", setName: "Doctoral Dissertations" },
  { setSpec: "col_123456789_3", setName: "Master's Theses" },
] as const;
export const EARLIEST = "2026-01-05";
export const DELETED_ID = 13;

const FAMILY = [
  "García",
  "Müller",
  "Dubois",
  "Smith",
  "Okafor",
  "Nakamura",
  "Kowalski",
  "Rossi",
  "Andersson",
  "Haddad",
  "O'Brien",
  "Nguyen",
];
const GIVEN = [
  "Ana",
  "Jonas",
  "Camille",
  "Emily",
  "Chinedu",
  "Haruto",
  "Zofia",
  "Luca",
  "Elin",
  "Rania",
  "Siobhán",
  "Minh",
];
const TOPICS: readonly (readonly [string, string])[] = [
  ["Soil microbiology", "nitrogen cycling in alpine meadows"],
  ["Machine learning", "uncertainty in small clinical data sets"],
  ["Medieval manuscripts", "marginal notes in Cistercian libraries"],
  ["Urban hydrology", "green roofs and storm water retention"],
  ["Protein folding", "chaperone kinetics under heat stress"],
  ["Labor history", "dock workers' unions between the wars"],
  ["Glaciology", "basal sliding of temperate glaciers"],
  ["Children's literature", "translation of picture books"],
];
const TITLE_BY_LANGUAGE: Record<string, (topic: string) => string> = {
  eng: (t) => `The role of ${t}`,
  fre: (t) => `Les enjeux de ${t}`,
  ger: (t) => `Die Bedeutung von ${t}`,
  spa: (t) => `El estudio de ${t}`,
};
const LANGUAGES = ["eng", "eng", "eng", "fre", "eng", "ger", "eng", "spa"];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

function sample(id: number): SampleThesis {
  const doctoral = id % 3 !== 0;
  const [subject, topic] = TOPICS[id % TOPICS.length];
  const language = LANGUAGES[id % LANGUAGES.length];
  // Every fifth English title has no leading article (the non-filing indicator is then 0).
  const title =
    language === "eng" && id % 5 === 0
      ? `Studies in ${topic} (${id})`
      : `${TITLE_BY_LANGUAGE[language](topic)} (${id})`;
  const day = new Date(Date.UTC(2026, 0, 5) + Math.floor((id - 1) / 2) * 86_400_000);
  return {
    id,
    identifier: `oai:repository.example.edu:123456789/${1000 + id}`,
    datestamp: day.toISOString().slice(0, 10),
    set: doctoral ? SETS[0].setSpec : SETS[1].setSpec,
    deleted: id === DELETED_ID,
    title,
    author: `${FAMILY[id % FAMILY.length]}, ${GIVEN[(id * 5) % GIVEN.length]}`,
    advisor: `${FAMILY[(id + 3) % FAMILY.length]}, ${GIVEN[(id + 7) % GIVEN.length]}`,
    subjects: [subject, TOPICS[(id + 1) % TOPICS.length][0]],
    abstract:
      `This ${doctoral ? "dissertation" : "thesis"} examines ${topic}. ${"It reports field work, methods and results in detail. ".repeat(1 + (id % 4))}`.trim(),
    issued: `${2018 + (id % 8)}-${pad(1 + (id % 12))}`,
    language,
    degree: doctoral ? "Doctor of Philosophy" : "Master of Science",
    level: doctoral ? "Doctoral" : "Masters",
    department: `Department of ${subject.split(" ")[0]} Studies`,
    handle: `https://repository.example.edu/handle/123456789/${1000 + id}`,
    pages: 80 + ((id * 37) % 300),
  };
}

export const THESES: readonly SampleThesis[] = Array.from({ length: 64 }, (_, i) => sample(i + 1));
