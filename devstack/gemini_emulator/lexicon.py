"""The skills the local extractor recognises in a job description. Pure data plus compiled patterns.

The lexicon stands in for the judgement a real model applies, so it favours precision: each alias is a
regular expression (matched case-insensitively unless it switches that off with `(?-i:...)`) written to
avoid the common false friends ("go-to-market" is not Go, "CI/CD pipelines" are not data pipelines).
German aliases cover the soft skills and common terms, because German job descriptions are common.
Skill names stay canonical (English) so reports compare across interviews; `labels` gives the noun
phrase a question uses in another language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Category = Literal["software", "data", "product", "sales", "support", "design", "general"]


@dataclass(frozen=True)
class LexiconSkill:
    """One recognisable skill: how it is named, described and found."""

    name: str
    category: Category
    description: str
    aliases: str
    labels: dict[str, str] = field(default_factory=dict)
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", re.compile(self.aliases, re.IGNORECASE))

    def label(self, language: str) -> str:
        """The noun phrase a question in `language` uses for this skill."""
        if language in self.labels:
            return self.labels[language]
        return self.name.lower() if self.category == "general" and language == "en" else self.name


def _s(
    name: str,
    category: Category,
    description: str,
    pattern: str,
    *,
    en: str | None = None,
    de: str | None = None,
) -> LexiconSkill:
    labels = {language: label for language, label in (("en", en), ("de", de)) if label}
    return LexiconSkill(name, category, description, pattern, labels)


SKILLS: tuple[LexiconSkill, ...] = (
    # --- software ----------------------------------------------------------------------------------------
    _s(
        "Python",
        "software",
        "Writing clear, idiomatic and tested Python, including its data libraries.",
        r"\bpython\b|\bdjango\b|\bfastapi\b|\bflask\b|\bpandas\b|\bnumpy\b",
    ),
    _s(
        "Java",
        "software",
        "Building and maintaining services on the JVM with Java and its ecosystem.",
        r"\bjava\b(?!\s*script)|\bspring(?:\s*boot)?\b|\bjvm\b",
    ),
    _s(
        "JavaScript & TypeScript",
        "software",
        "Writing maintainable JavaScript and TypeScript in browsers and on Node.js.",
        r"\bjavascript\b|\btypescript\b|\bnode(?:\.js|js)\b|\bES20\d\d\b",
        en="JavaScript and TypeScript",
        de="JavaScript und TypeScript",
    ),
    _s(
        "Frontend development",
        "software",
        "Building accessible, fast user interfaces with a modern web framework.",
        (
            r"\breact\b(?!\s*native)|\bvue(?:\.js)?\b|\bangular\b|\bsvelte\b|\bfront[- ]?end\b|\bhtml5?\b|"
            r"\bcss3?\b|\bweb components?\b"
        ),
        en="frontend development",
        de="Frontend-Entwicklung",
    ),
    _s(
        "Go",
        "software",
        "Building concurrent, reliable services in Go.",
        (
            r"\bgolang\b|"
            r"(?-i:\bGo\b)(?=\s*(?:[,/)]|and\b|or\b|und\b|oder\b|developer|engineer|services?\b))|"
            r"(?<=[,/(] )(?-i:Go\b)(?![- ]to\b)|"
            r"\b(?:in|with|mit|using) (?-i:Go)\b(?![- ]to\b)"
        ),
    ),
    _s(
        "C# & .NET",
        "software",
        "Building applications and services with C# on .NET.",
        r"(?<!\w)c#|(?<!\w)\.net\b|\basp\.net\b",
        en="C# and .NET",
        de="C# und .NET",
    ),
    _s(
        "C & C++",
        "software",
        "Writing efficient, safe systems code in C and C++.",
        r"(?<!\w)c\+\+|\bcpp\b",
        en="C and C++",
        de="C und C++",
    ),
    _s("Rust", "software", "Writing safe, performant systems code in Rust.", r"\brust\b"),
    _s(
        "SQL",
        "software",
        "Writing correct, efficient SQL queries and designing relational schemas.",
        (
            r"\bsql\b|\bpostgres(?:ql)?\b|\bmysql\b|\bmariadb\b|\bsqlite\b|\bt-sql\b|\bpl/sql\b|"
            r"\brelational databases?\b|\bdatenbank\w*"
        ),
    ),
    _s(
        "NoSQL databases",
        "software",
        "Choosing and operating document, key-value and search stores.",
        r"\bnosql\b|\bmongo(?:db)?\b|\bcassandra\b|\bdynamodb\b|\bredis\b|\belasticsearch\b|\bfirestore\b",
        en="NoSQL databases",
        de="NoSQL-Datenbanken",
    ),
    _s(
        "API design",
        "software",
        "Designing clear, versioned and well-documented APIs.",
        (
            r"\brest(?:ful)?\s*apis?\b|\bgraphql\b|\bgrpc\b|\bapi design\b|\bapis\b|\bopenapi\b|"
            r"\bschnittstellen\b"
        ),
        en="API design",
        de="API-Design",
    ),
    _s(
        "Cloud platforms",
        "software",
        "Building and running systems on a public cloud (GCP, AWS or Azure).",
        (
            r"\baws\b|\bamazon web services\b|\bgcp\b|\bgoogle cloud\b|\bazure\b|\bcloud run\b|"
            r"\blambda functions?\b|\bcloud[- ]native\b|\bcloud platforms?\b"
        ),
        en="cloud platforms",
        de="Cloud-Plattformen",
    ),
    _s(
        "Docker & Kubernetes",
        "software",
        "Packaging services in containers and running them on Kubernetes.",
        r"\bdocker\b|\bkubernetes\b|\bk8s\b|\bhelm\b|\bcontainer(?:s|ised|ized|isation|ization)?\b",
        en="Docker and Kubernetes",
        de="Docker und Kubernetes",
    ),
    _s(
        "CI/CD & DevOps",
        "software",
        "Automating build, test and deployment so changes ship safely and often.",
        (
            r"\bci/cd\b|\bcontinuous (?:integration|delivery|deployment)\b|\bdevops\b|\bgithub actions\b|"
            r"\bjenkins\b|\bgitlab(?:[- ]ci)?\b|\bdeployment pipelines?\b"
        ),
        en="CI/CD and DevOps",
        de="CI/CD und DevOps",
    ),
    _s(
        "Infrastructure as code",
        "software",
        "Managing infrastructure declaratively and reviewably.",
        r"\bterraform\b|\bpulumi\b|\bcloudformation\b|\bansible\b|\binfrastructure[- ]as[- ]code\b|\biac\b",
        en="infrastructure as code",
        de="Infrastructure as Code",
    ),
    _s(
        "Testing & quality",
        "software",
        "Designing automated tests and keeping quality high as code changes.",
        (
            r"\bunit tests?\b|\btest automation\b|\bautomated test\w*|\btdd\b|\btest[- ]driven\b|\bpytest\b|"
            r"\bjunit\b|\bselenium\b|\bcypress\b|\bplaywright\b|\bquality assurance\b|\bintegration tests?\b|"
            r"(?<!a/b )(?<!usability )(?<!penetration )(?<!user )\btesting\b"
        ),
        en="testing and quality",
        de="Testen und Qualitätssicherung",
    ),
    _s(
        "System design",
        "software",
        "Designing scalable, reliable distributed systems and explaining the trade-offs.",
        (
            r"\bsystem design\b|\bsoftware architecture\b|\barchitect(?:ure|ing)\b|\bdistributed systems?\b|"
            r"\bscalab(?:le|ility)\b|\bmicroservices?\b|\bhigh availability\b|\bskalierbar\w*"
        ),
        en="system design",
        de="Systemdesign",
    ),
    _s(
        "Security",
        "software",
        "Building secure systems: authentication, least privilege, secure defaults.",
        (
            r"\bsecurity\b|\bsecure coding\b|\bowasp\b|\boauth2?\b|\bencryption\b|\bpenetration test\w*|"
            r"\bvulnerabilit\w+|\bsicherheit\b"
        ),
        en="security",
        de="IT-Sicherheit",
    ),
    _s(
        "Mobile development",
        "software",
        "Building and shipping native or cross-platform mobile apps.",
        (
            r"\bios\b|\bandroid\b|(?-i:\bSwift\b)|\bkotlin\b|\breact native\b|\bflutter\b|\bmobile apps?\b|"
            r"\bmobile development\b"
        ),
        en="mobile development",
        de="Mobile-Entwicklung",
    ),
    _s(
        "Linux & scripting",
        "software",
        "Working fluently on Linux and automating tasks with shell scripts.",
        r"\blinux\b|\bunix\b|\bbash\b|\bshell script\w*",
        en="Linux and scripting",
        de="Linux und Skripting",
    ),
    _s(
        "Git & code review",
        "software",
        "Collaborating through version control, pull requests and constructive reviews.",
        r"\bgit\b|\bcode reviews?\b|\bversion control\b|\bpull requests?\b",
        en="Git and code review",
        de="Git und Code-Reviews",
    ),
    _s(
        "Observability & reliability",
        "software",
        "Keeping production healthy with monitoring, alerts, SLOs and calm incident response.",
        (
            r"\bobservability\b|\bmonitoring\b|\bprometheus\b|\bgrafana\b|\bdatadog\b|\bsite reliability\b|"
            r"\bsre\b|\bon-call\b|\bslos?\b"
        ),
        en="observability and reliability",
        de="Observability und Zuverlässigkeit",
    ),
    _s(
        "Performance optimisation",
        "software",
        "Finding and removing performance bottlenecks with measurement.",
        (
            r"\bperformance (?:tuning|optimi[sz]ation|engineering)\b|\bprofiling\b|\blow[- ]latency\b|"
            r"\bhigh[- ]performance\b"
        ),
        en="performance optimisation",
        de="Performance-Optimierung",
    ),
    # --- data --------------------------------------------------------------------------------------------
    _s(
        "Data pipelines & ETL",
        "data",
        "Building reliable batch and incremental data pipelines from ingestion to serving.",
        (
            r"\bdata pipelines?\b|\betl\b|\belt\b|\bairflow\b|\bdbt\b|\bdagster\b|\bprefect\b|\bingestion\b|"
            r"\bbatch (?:processing|jobs?)\b|"
            r"(?<!ci/cd )(?<!sales )(?<!deployment )(?<!release )(?<!build )\bpipelines?\b|"
            r"\bdatenpipelines?\b"
        ),
        en="data pipelines and ETL",
        de="Datenpipelines und ETL",
    ),
    _s(
        "Data modelling & warehousing",
        "data",
        "Modelling data for analytics in a warehouse or lakehouse.",
        (
            r"\bdata warehous\w*|\bdata model(?:l)?ing\b|\bdimensional model\w*|\bstar schema\b|"
            r"\bsnowflake\b|\bbigquery\b|\bredshift\b|\bdata lakes?\b|\blakehouse\b|\bdatenmodell\w*"
        ),
        en="data modelling and warehousing",
        de="Datenmodellierung und Data Warehousing",
    ),
    _s(
        "Spark & big data",
        "data",
        "Processing large datasets with distributed engines such as Spark.",
        (
            r"(?-i:\bSpark\b)|\bapache spark\b|\bpyspark\b|\bhadoop\b|\bdatabricks\b|\bbig data\b|"
            r"\bapache beam\b|\bdataflow\b|\bflink\b"
        ),
        en="Spark and big data",
        de="Spark und Big Data",
    ),
    _s(
        "Stream processing",
        "data",
        "Designing event streams and real-time processing with their guarantees.",
        (
            r"\bkafka\b|\bpub/?sub\b|\bkinesis\b|\bstream(?:ing)? (?:data|processing)\b|"
            r"\breal[- ]time data\b|\bevent[- ]driven\b"
        ),
        en="stream processing",
        de="Stream-Verarbeitung",
    ),
    _s(
        "Statistics & experimentation",
        "data",
        "Applying statistics soundly: experiment design, A/B tests and their pitfalls.",
        (
            r"\bstatistic(?:s|al)\b|\ba/b[- ]test\w*|\bhypothesis test\w*|\bexperiment(?:ation| design)\b|"
            r"\bregression analysis\b|\bstatistik\w*"
        ),
        en="statistics and experimentation",
        de="Statistik und Experimente",
    ),
    _s(
        "Machine learning",
        "data",
        "Training, evaluating and deploying machine-learning models.",
        (
            r"\bmachine learning\b|\bml\b|\bscikit[- ]learn\b|\bpytorch\b|\btensorflow\b|\bdeep learning\b|"
            r"\bmlops\b|\bmodel training\b|\bmaschinelles lernen\b"
        ),
        en="machine learning",
        de="Machine Learning",
    ),
    _s(
        "LLMs & generative AI",
        "data",
        "Building reliable features on large language models: prompting, retrieval and evaluation.",
        (
            r"\bllms?\b|\blarge language models?\b|\bgenerative ai\b|\bgen ?ai\b|\bprompt engineering\b|"
            r"\brag\b|\bnlp\b"
        ),
        en="LLMs and generative AI",
        de="LLMs und generative KI",
    ),
    _s(
        "Data analysis & visualisation",
        "data",
        "Turning data into clear answers, dashboards and decisions.",
        (
            r"\bdata analy(?:sis|tics)\b|\banalytics\b|\btableau\b|\blooker\b|\bpower ?bi\b|\bdashboards?\b|"
            r"(?-i:\bExcel\b)|\bspreadsheets?\b|\bdata visuali[sz]ation\b|\bdatenanalyse\b|"
            r"\b(?-i:R)\b(?=\s*(?:,|/|and|or|und|oder)\s*(?:python|sql))"
        ),
        en="data analysis and visualisation",
        de="Datenanalyse und Visualisierung",
    ),
    _s(
        "Data quality & governance",
        "data",
        "Keeping data correct, documented and compliant, with checks and clear ownership.",
        (
            r"\bdata quality\b|\bdata governance\b|\bdata lineage\b|\bdata catalog\w*|\bdatenqualität\b|"
            r"\bgdpr\b|\bdsgvo\b"
        ),
        en="data quality and governance",
        de="Datenqualität und Data Governance",
    ),
    # --- product -----------------------------------------------------------------------------------------
    _s(
        "Product strategy & roadmap",
        "product",
        "Setting product direction and turning it into a prioritised roadmap.",
        r"\broadmaps?\b|\bproduct strategy\b|\bproduct vision\b|\bokrs?\b|\bproduktstrategie\b",
        en="product strategy and roadmap",
        de="Produktstrategie und Roadmap",
    ),
    _s(
        "User research",
        "product",
        "Learning what users need through interviews, testing and observation.",
        (
            r"\buser research\b|\bcustomer interviews?\b|\busability test\w*|"
            r"\b(?:product|customer|user) discovery\b|\bdiscovery (?:phase|work|interviews?|research)\b|"
            r"\bpersonas?\b|\bnutzerforschung\b"
        ),
        en="user research",
        de="Nutzerforschung",
    ),
    _s(
        "Agile delivery",
        "product",
        "Delivering iteratively with agile practices and a healthy backlog.",
        r"\bagile\b|\bscrum\b|\bkanban\b|\bsprints?\b|\bbacklog\b|\bjira\b|\buser stories\b|\bagil\w*",
        en="agile delivery",
        de="agile Arbeitsweise",
    ),
    _s(
        "Stakeholder management",
        "product",
        "Aligning stakeholders with different goals and keeping them informed.",
        r"\bstakeholders?\b|\bexecutive (?:stakeholders|leadership|team)\b|\bc-level\b|\balignment\b",
        en="stakeholder management",
        de="Stakeholder-Management",
    ),
    _s(
        "Product analytics & metrics",
        "product",
        "Defining the metrics that matter and using them to steer the product.",
        (
            r"\bproduct metrics\b|\bkpis?\b|\bfunnels?\b|\bretention\b|\bamplitude\b|\bmixpanel\b|"
            r"\bdata[- ]driven\b|\bdatengetrieben\b"
        ),
        en="product analytics and metrics",
        de="Produktkennzahlen",
    ),
    _s(
        "Requirements & specifications",
        "product",
        "Writing clear requirements and acceptance criteria that teams can build from.",
        (
            r"\brequirements engineering\b|\bprds?\b|\bspecifications?\b|\bacceptance criteria\b|"
            r"\banforderungsmanagement\b"
        ),
        en="requirements and specifications",
        de="Anforderungsmanagement",
    ),
    _s(
        "Go-to-market",
        "product",
        "Launching products: positioning, pricing and coordinating the launch.",
        (
            r"\bgo[- ]to[- ]market\b|\bgtm\b|\bproduct launch\w*|\bpositioning\b|\bpricing\b|"
            r"\bmarkteinführung\w*"
        ),
        en="go-to-market",
        de="Markteinführung",
    ),
    _s(
        "Project management",
        "product",
        "Planning work, managing scope and risk, and delivering on time.",
        (
            r"\bproject management\b|\bproject manager\b|\bpmp\b|\bprince2\b|\bprojektmanagement\b|"
            r"\bprojektleitung\b"
        ),
        en="project management",
        de="Projektmanagement",
    ),
    # --- sales -------------------------------------------------------------------------------------------
    _s(
        "Prospecting & lead generation",
        "sales",
        "Finding and opening conversations with the right prospects.",
        (
            r"\bprospecting\b|\blead generation\b|\boutbound\b|\bcold (?:call\w*|outreach|emails?)\b|"
            r"\bpipeline generation\b|\bneukundengewinnung\b|\bakquise\b"
        ),
        en="prospecting and lead generation",
        de="Neukundengewinnung",
    ),
    _s(
        "Pipeline management & forecasting",
        "sales",
        "Keeping an honest sales pipeline and forecasting reliably against quota.",
        r"\bsales pipeline\b|\bpipeline management\b|\bforecast\w*|\bquotas?\b",
        en="pipeline management and forecasting",
        de="Pipeline-Management und Forecasting",
    ),
    _s(
        "Negotiation & closing",
        "sales",
        "Negotiating terms and closing deals that are good for both sides.",
        (
            r"\bnegotiat\w+|\bclos(?:e|ing) deals?\b|\bdeal closing\b|\bclosing\b|\bverhandlung\w*|"
            r"\babschluss\w*"
        ),
        en="negotiation and closing",
        de="Verhandlung und Abschluss",
    ),
    _s(
        "CRM tools",
        "sales",
        "Using a CRM rigorously to manage accounts, activities and pipeline.",
        r"\bsalesforce\b|\bhubspot\b|\bcrm\b|\bpipedrive\b",
        en="CRM tools",
        de="CRM-Werkzeuge",
    ),
    _s(
        "Account management",
        "sales",
        "Growing existing accounts through trust, renewals and expansion.",
        (
            r"\baccount management\b|\bkey accounts?\b|\bupsell\w*|\bcross-sell\w*|\brenewals?\b|"
            r"\bbestandskunden\w*|\bkundenbetreuung\b"
        ),
        en="account management",
        de="Account-Management",
    ),
    _s(
        "Consultative selling",
        "sales",
        "Understanding a customer's problem and selling the value of solving it.",
        (
            r"\bconsultative\b|\bsolution selling\b|\bvalue selling\b|\bmeddp?icc?\b|\bspin selling\b|"
            r"\bdiscovery calls?\b|\bsales methodolog\w+|\bb2b sales\b|\benterprise sales\b|\bvertrieb\w*"
        ),
        en="consultative selling",
        de="beratender Vertrieb",
    ),
    _s(
        "Presentations & demos",
        "sales",
        "Presenting and demonstrating clearly to an audience, tailored to what it cares about.",
        (
            r"\bpresentations?\b|\bpresenting\b|\bdemos?\b|\bpublic speaking\b|\bpitch(?:es|ing)?\b|"
            r"\bpräsentation\w*"
        ),
        en="presentations and demos",
        de="Präsentationen und Demos",
    ),
    # --- support -----------------------------------------------------------------------------------------
    _s(
        "Technical troubleshooting",
        "support",
        "Diagnosing customer problems methodically and finding the root cause.",
        (
            r"\btroubleshoot\w*|\btechnical support\b|\bhelp ?desk\b|\broot cause\b|\bdebugging\b|"
            r"\bfehleranalyse\b"
        ),
        en="technical troubleshooting",
        de="technische Fehleranalyse",
    ),
    _s(
        "Customer support",
        "support",
        "Resolving customer requests quickly, accurately and kindly.",
        (
            r"\bcustomer support\b|\bcustomer service\b|\bsupport tickets?\b|\btickets?\b|\bkundenservice\b|"
            r"\bkundensupport\b"
        ),
        en="customer support",
        de="Kundenservice",
    ),
    _s(
        "Support tooling",
        "support",
        "Working efficiently in ticketing and support tools.",
        r"\bzendesk\b|\bfreshdesk\b|\bintercom\b|\bservicenow\b|\bticketing systems?\b",
        en="support tooling",
        de="Support-Werkzeuge",
    ),
    _s(
        "Customer empathy & de-escalation",
        "support",
        "Staying calm and kind with upset customers and turning conflicts around.",
        (
            r"\bempath\w+|\bde-?escalat\w+|\bdifficult customers?\b|\bcomplaints?\b|\bpatience\b|"
            r"\beinfühlungsvermögen\b"
        ),
        en="empathy and de-escalation",
        de="Empathie und Deeskalation",
    ),
    _s(
        "Incident & escalation management",
        "support",
        "Handling incidents and escalations within SLAs and keeping everyone informed.",
        r"\bslas?\b|\bincident management\b|\bincident response\b|\bescalations?\b|\bitil\b",
        en="incident and escalation management",
        de="Incident- und Eskalationsmanagement",
    ),
    _s(
        "Customer success & onboarding",
        "support",
        "Getting customers to value quickly and keeping them successful.",
        r"\bcustomer success\b|\bonboarding\b|\badoption\b|\bchurn\b|\bnps\b|\bcsat\b",
        en="customer success and onboarding",
        de="Customer Success und Onboarding",
    ),
    _s(
        "Documentation & knowledge base",
        "support",
        "Writing help articles and documentation that answer questions before they are asked.",
        (
            r"\bknowledge base\b|\bdocumentation\b|\btechnical writing\b|\bhelp articles?\b|\bfaqs?\b|"
            r"\bdokumentation\b"
        ),
        en="documentation and knowledge bases",
        de="Dokumentation",
    ),
    # --- design ------------------------------------------------------------------------------------------
    _s(
        "UX design",
        "design",
        "Designing user flows and interactions that make tasks easy.",
        (
            r"\bux\b|\buser experience\b|\bwireframes?\b|\binteraction design\b|\buser flows?\b|"
            r"\binformation architecture\b|\bnutzererlebnis\b"
        ),
        en="UX design",
        de="UX-Design",
    ),
    _s(
        "UI & visual design",
        "design",
        "Crafting clear, consistent visual interfaces: layout, typography, colour.",
        r"\bui design\b|\bui\b|\bvisual design\b|\btypography\b|\bbranding\b|\bpixel[- ]perfect\b",
        en="UI and visual design",
        de="UI- und visuelles Design",
    ),
    _s(
        "Prototyping & design tools",
        "design",
        "Exploring and communicating ideas quickly with prototypes in tools like Figma.",
        r"\bfigma\b|(?-i:\bSketch\b)|\badobe xd\b|\bprototyp\w*|\binvision\b",
        en="prototyping",
        de="Prototyping",
    ),
    _s(
        "Design systems",
        "design",
        "Building and evolving a shared design system and component library.",
        r"\bdesign systems?\b|\bcomponent librar(?:y|ies)\b|\bstyle ?guides?\b|\bdesign tokens?\b",
        en="design systems",
        de="Designsysteme",
    ),
    _s(
        "Accessibility",
        "design",
        "Designing and building products everyone can use, to WCAG.",
        r"\baccessib(?:le|ility)\b|\ba11y\b|\bwcag\b|\bscreen readers?\b|\bbarrierefrei\w*",
        en="accessibility",
        de="Barrierefreiheit",
    ),
    _s(
        "Graphic design",
        "design",
        "Producing polished visual assets with professional graphics tools.",
        (
            r"\bgraphic design\b|\bphotoshop\b|\billustrator\b|\bindesign\b|"
            r"\badobe creative (?:suite|cloud)\b|\bmotion design\b|\bgrafikdesign\b"
        ),
        en="graphic design",
        de="Grafikdesign",
    ),
    # --- general -----------------------------------------------------------------------------------------
    _s(
        "Communication",
        "general",
        "Explaining ideas clearly in speech and writing, to any audience.",
        r"\bcommunicat\w+|\bwritten and verbal\b|\bverbal and written\b|\barticulate\b|\bkommunikat\w+",
        de="Kommunikation",
    ),
    _s(
        "Problem solving",
        "general",
        "Breaking down unfamiliar problems and reasoning to a sound solution.",
        (
            r"\bproblem[- ]solv\w+|\bsolve (?:complex )?problems\b|\banalytical\b|\bcritical thinking\b|"
            r"\bproblemlös\w+|\blösungsorientiert\w*|\banalytisch\w*"
        ),
        de="Problemlösung",
    ),
    _s(
        "Teamwork & collaboration",
        "general",
        "Working well with others across roles and teams.",
        (
            r"\bcollaborat\w+|\bteam ?player\b|\bteamwork\b|\bcross[- ]functional\b|\bteamfähig\w*|"
            r"\bteamarbeit\b|\bzusammenarbeit\b"
        ),
        en="teamwork and collaboration",
        de="Teamarbeit und Zusammenarbeit",
    ),
    _s(
        "Leadership & mentoring",
        "general",
        "Guiding and growing people, formally or by example.",
        (
            r"\bleadership\b|\bmentor\w*|\bcoach(?:ing)?\b|\bpeople management\b|"
            r"\blead(?:ing)? (?:a|the) team\b|\bmanage (?:a|the) team\b|\bführung\w*"
        ),
        en="leadership and mentoring",
        de="Führung und Mentoring",
    ),
    _s(
        "Ownership & autonomy",
        "general",
        "Taking responsibility for outcomes and driving work forward without being asked.",
        (
            r"\bownership\b|\bautonomous\w*|\bself-starter\b|\bindependently\b|\bproactive\w*|\binitiative\b|"
            r"\baccountab\w+|\beigenverantwortlich\w*|\bselbstständig\w*|\bselbständig\w*"
        ),
        en="ownership and autonomy",
        de="Eigenverantwortung",
    ),
    _s(
        "Time management & prioritisation",
        "general",
        "Organising competing work and meeting commitments.",
        (
            r"\btime management\b|\bmultitask\w*|\bprioriti[sz]\w+|\bdeadlines\b|\bwell[- ]organi[sz]ed\b|"
            r"\bzeitmanagement\b|\bpriorisier\w*"
        ),
        en="time management and prioritisation",
        de="Zeitmanagement und Priorisierung",
    ),
    _s(
        "Adaptability & learning",
        "general",
        "Learning fast and staying effective when things change.",
        (
            r"\badaptab\w+|\bfast[- ]paced\b|\blearn(?:s|ing)? quickly\b|\bcuriosity\b|\bcurious\b|"
            r"\bgrowth mindset\b|\bambiguity\b|\blernbereit\w*|\banpassungsfähig\w*"
        ),
        en="adaptability and learning",
        de="Anpassungsfähigkeit und Lernbereitschaft",
    ),
)

BY_NAME: dict[str, LexiconSkill] = {skill.name: skill for skill in SKILLS}

FALLBACK_GENERAL: tuple[str, ...] = ("Communication", "Problem solving", "Teamwork & collaboration")
"""General skills used, in this order, when a job description names too few recognisable skills."""

ROLE_CATEGORY_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), skill)
    for pattern, skill in (
        (r"\bdata engineer|\bdaten-?ingenieur", "Data pipelines & ETL"),
        (r"\bdata scien|\bmachine learning|\bml engineer", "Machine learning"),
        (r"\bdata analy|\banalyst\b|\banalyt", "Data analysis & visualisation"),
        (r"\bproduct (?:manager|owner|lead)|\bproduktmanager", "Product strategy & roadmap"),
        (r"\bproject manager|\bprojektleiter|\bprojektmanager", "Project management"),
        (r"\bux\b|\bui\b|\bdesigner\b|\bdesign\b", "UX design"),
        (r"\bsales\b|\baccount executive\b|\bvertrieb|\bbusiness development\b", "Negotiation & closing"),
        (r"\baccount manager\b|\bkey account\b", "Account management"),
        (r"\bcustomer success\b", "Customer success & onboarding"),
        (r"\bsupport\b|\bhelp ?desk\b|\bkundenservice\b|\bservice desk\b", "Customer support"),
        (r"\bdevops\b|\bsre\b|\bsite reliability\b|\bplatform engineer", "Observability & reliability"),
        (r"\bfront[- ]?end\b", "Frontend development"),
        (r"\bmobile\b|\bios\b|\bandroid\b", "Mobile development"),
        (r"\bengineer\b|\bdeveloper\b|\bentwickler|\bprogrammer\b|\bingenieur", "System design"),
    )
)
"""When nothing matches, the role line still says something: a data engineer is asked about pipelines."""


VOCABULARY: dict[str, dict[str, str]] = {
    # software
    "Python": {"en": "type hints, pytest, packaging, asyncio, profiling"},
    "Java": {"en": "Spring, JVM tuning, garbage collection, Maven or Gradle"},
    "JavaScript & TypeScript": {"en": "types, async code, bundling, Node.js, tests"},
    "Frontend development": {"en": "components, state, rendering speed, browser quirks"},
    "Go": {"en": "goroutines, channels, interfaces, profiling with pprof"},
    "C# & .NET": {"en": "ASP.NET, LINQ, async, dependency injection"},
    "C & C++": {"en": "memory, pointers, undefined behaviour, profiling"},
    "Rust": {"en": "ownership, borrowing, lifetimes, unsafe code"},
    "SQL": {"en": "query plans, indexes, joins, window functions, schema design"},
    "NoSQL databases": {"en": "data models, partition keys, consistency, indexes"},
    "API design": {"en": "endpoints, versioning, contracts, error codes, documentation"},
    "Cloud platforms": {"en": "managed services, IAM, networking, cost"},
    "Docker & Kubernetes": {"en": "images, pods, resource limits, deployments, probes"},
    "CI/CD & DevOps": {"en": "build pipelines, automated deploys, rollbacks, release frequency"},
    "Infrastructure as code": {"en": "Terraform modules, state, plans, drift, reviews"},
    "Testing & quality": {"en": "unit tests, integration tests, flaky tests, coverage"},
    "System design": {"en": "architecture, scaling, consistency, failure modes"},
    "Security": {"en": "threat models, vulnerabilities, authentication, secrets"},
    "Mobile development": {"en": "iOS or Android apps, releases, crashes, offline use"},
    "Linux & scripting": {"en": "shell scripts, processes, logs, disks, automation"},
    "Git & code review": {"en": "branches, pull requests, reviews, merge conflicts"},
    "Observability & reliability": {"en": "metrics, alerts, SLOs, incidents, postmortems"},
    "Performance optimisation": {"en": "profiling, latency, throughput, caching, bottlenecks"},
    # data
    "Data pipelines & ETL": {"en": "orchestration, backfills, data freshness, failed loads"},
    "Data modelling & warehousing": {"en": "schemas, grain, fact and dimension tables, warehouse costs"},
    "Spark & big data": {"en": "partitions, shuffles, cluster sizing, job runtimes"},
    "Stream processing": {"en": "events, ordering, exactly-once delivery, lag"},
    "Statistics & experimentation": {"en": "A/B tests, sample sizes, significance, metrics"},
    "Machine learning": {"en": "features, training data, evaluation metrics, model drift"},
    "LLMs & generative AI": {"en": "prompts, retrieval, evaluation sets, hallucinations"},
    "Data analysis & visualisation": {"en": "dashboards, queries, charts, insights for decisions"},
    "Data quality & governance": {"en": "data checks, lineage, ownership, privacy rules"},
    # product
    "Product strategy & roadmap": {"en": "vision, roadmap, bets, trade-offs between markets"},
    "User research": {
        "en": "interviews, usability tests, research plans, insights",
        "de": "Interviews, Usability-Tests, Nutzerbefragungen, Erkenntnisse",
    },
    "Agile delivery": {"en": "sprints, backlog, estimates, retrospectives"},
    "Stakeholder management": {
        "en": "stakeholders, alignment, expectations, escalations",
        "de": "Stakeholder, Abstimmung, Erwartungen, Eskalationen",
    },
    "Product analytics & metrics": {"en": "funnels, retention, KPIs, experiments"},
    "Requirements & specifications": {"en": "user stories, acceptance criteria, specs, scope"},
    "Go-to-market": {"en": "positioning, pricing, launch plans, channels"},
    "Project management": {
        "en": "project plans, milestones, risks, budget, status reports",
        "de": "Projektplan, Meilensteine, Risiken, Budget, Statusberichte",
    },
    # sales
    "Prospecting & lead generation": {
        "en": "outbound sequences, cold calls, reply rates, meetings booked",
        "de": "Kaltakquise, Outbound, Antwortquoten, vereinbarte Termine",
    },
    "Pipeline management & forecasting": {
        "en": "pipeline reviews, deal stages, forecast accuracy, close dates",
        "de": "Pipeline-Reviews, Phasen, Prognosegenauigkeit, Abschlusstermine",
    },
    "Negotiation & closing": {
        "en": "discounts, concessions, procurement, contract terms, signatures",
        "de": "Rabatte, Zugeständnisse, Einkauf, Vertragsbedingungen, Unterschrift",
    },
    "CRM tools": {"en": "Salesforce or HubSpot records, reports, data hygiene"},
    "Account management": {
        "en": "renewals, upsells, account plans, churn risk",
        "de": "Verlängerungen, Upselling, Account-Pläne, Kündigungsrisiko",
    },
    "Consultative selling": {"en": "discovery questions, pain points, business case, champions"},
    "Presentations & demos": {"en": "demos, audiences, storyline, objections"},
    # support
    "Technical troubleshooting": {
        "en": "logs, reproduction steps, root cause, workarounds",
        "de": "Logs, Fehlerbild, Ursache, Workarounds",
    },
    "Customer support": {
        "en": "tickets, customer calls, resolution times, satisfaction",
        "de": "Tickets, Kundenanfragen, Lösungszeiten, Kundenzufriedenheit",
    },
    "Support tooling": {
        "en": "ticket systems, macros, triggers, help centre",
        "de": "Ticketsystem, Makros, Trigger, Hilfeartikel",
    },
    "Customer empathy & de-escalation": {
        "en": "upset customers, listening, apologies, calming a call",
        "de": "verärgerte Kunden, Zuhören, Deeskalation, Beschwerden",
    },
    "Incident & escalation management": {
        "en": "escalations, SLAs, status updates, incident reviews",
        "de": "Eskalationen, SLAs, Statusmeldungen, Nachbesprechungen",
    },
    "Customer success & onboarding": {
        "en": "onboarding plans, adoption, health scores, churn",
        "de": "Onboarding, Nutzung, Kundengesundheit, Kündigungen",
    },
    "Documentation & knowledge base": {
        "en": "help articles, knowledge base, runbooks, search",
        "de": "Hilfeartikel, Wissensdatenbank, Anleitungen",
    },
    # design
    "UX design": {"en": "user flows, wireframes, information architecture, usability"},
    "UI & visual design": {"en": "layout, typography, colour, visual hierarchy"},
    "Prototyping & design tools": {"en": "Figma prototypes, clickable flows, fidelity, testing sessions"},
    "Design systems": {"en": "components, tokens, documentation, adoption by teams"},
    "Accessibility": {"en": "WCAG, contrast, screen readers, keyboard navigation"},
    "Graphic design": {"en": "layouts, brand, illustration, print and digital formats"},
    # general
    "Communication": {
        "en": "explaining, writing updates, listening, adapting to the audience",
        "de": "Erklären, Statusmeldungen, Zuhören, Abstimmung mit Kolleginnen und Kunden",
    },
    "Problem solving": {
        "en": "breaking problems down, hypotheses, root causes, options",
        "de": "Problemanalyse, Hypothesen, Ursachen, Lösungswege",
    },
    "Teamwork & collaboration": {
        "en": "colleagues, shared goals, handovers, disagreements",
        "de": "Kolleginnen und Kollegen, gemeinsame Ziele, Übergaben, Konflikte",
    },
    "Leadership & mentoring": {
        "en": "coaching, feedback, one-to-ones, onboarding, growing people",
        "de": "Coaching, Feedbackgespräche, Einarbeitung, Mitarbeitende, Entwicklung",
    },
    "Ownership & autonomy": {
        "en": "taking responsibility, initiative, follow-through",
        "de": "Verantwortung, Initiative, Dranbleiben",
    },
    "Time management & prioritisation": {
        "en": "priorities, deadlines, planning, saying no",
        "de": "Prioritäten, Fristen, Planung, Nein sagen",
    },
    "Adaptability & learning": {
        "en": "new tools, change, learning quickly, feedback",
        "de": "neue Werkzeuge, Veränderungen, schnelles Lernen, Feedback",
    },
}
"""The concrete tools, techniques and situations of each skill, per language (English when a language
has none): what a high anchor names, as a model writing anchors would (domain/prompts.py asks it to)."""


def vocabulary(skill: str, language: str) -> str:
    """The skill's vocabulary in `language`, else in English, else empty."""
    words = VOCABULARY.get(skill, {})
    return words.get(language) or words.get("en", "")
