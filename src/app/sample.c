/*
 * The sample network behind `tend demo` and the benchmark data.  One
 * seeded generator (splitmix64, never rand()) draws every contact in
 * turn and writes it, its history and its plans through the store API,
 * so the rows are exactly what tend itself would write.
 *
 * Contacts are met in order over the past year (contact i a little after
 * contact i - 1), so a referral always comes from someone met earlier.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/sample.h"
#include "core/cadence.h"
#include "core/contact.h"
#include "core/deal.h"
#include "core/interaction.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MINUTE		INT64_C(60)
#define HOUR		INT64_C(3600)
#define DAY		INT64_C(86400)

/* The window of local day starts kept in a table: a year back, weeks on. */
#define DAYS_PAST	400
#define DAYS_AHEAD	60

#define MAX_TOUCHES	16	/* interactions of one contact, at most */

/* ---- word lists ---- */

static const char *const sample_first[] = {
	"Ann", "Bob", "Carla", "David", "Emma", "Farid", "Grace", "Hiro",
	"Inès", "Jonas", "Karin", "Liam", "Maya", "Noah", "Olivia", "Pablo",
	"Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Xavier",
	"Yuki", "Zoë", "Łukasz", "Małgorzata", "Søren", "Åsa", "Björn",
	"Chloé", "Renée", "José", "Núria", "Íñigo", "François", "Jürgen",
	"Ayşe", "Çağla", "Ólafur", "Siobhán", "Ana", "Mateo", "Lucía",
	"Sofía", "Léa", "Anaïs", "Noémie", "Joël", "Zoltán", "Jiří", "Tomáš",
	"Kateřina", "Dorota", "Paweł", "Agnieszka", "Bartosz", "Mikkel",
	"Freja", "Ingrid", "Henrik", "Astrid", "Matti", "Aino", "Priya",
	"Arjun", "Ananya", "Rahul", "Mei", "Jun", "Min-jun", "Kenji", "Aiko",
	"Amara", "Kwame", "Chidi", "Ngozi", "Thabo", "Lerato", "Omar",
	"Layla", "Yusuf", "Fatima", "Leila", "Dmitri", "Olga", "Elena",
	"Giulia", "Marco", "Luca", "Chiara", "Sarah", "Michael", "Jennifer",
	"James", "Linda", "Robert", "Patricia", "John", "Mary", "William",
	"Elizabeth", "Daniel", "Jessica", "Thomas", "Karen", "Chris",
	"Nancy", "Mark", "Lisa", "Paul", "Sandra", "Kevin", "Ashley", "Brian",
	"Emily", "George", "Hannah", "Peter", "Rachel", "Sam", "Laura", "Ben",
	"Kate", "Tom", "Lucy", "Jack", "Megan", "Ryan", "Nina", "Alex", "Eva"
};

static const char *const sample_last[] = {
	"Lee", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
	"Miller", "Davis", "Rodriguez", "Martinez", "Hernández", "López",
	"González", "Wilson", "Anderson", "Taylor", "Moore", "Jackson",
	"Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Green",
	"Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
	"Carter", "Evans", "Turner", "Parker", "Collins", "Edwards", "Murphy",
	"O'Brien", "MacLeod", "Nguyen", "Tran", "Kim", "Park", "Chen", "Wang",
	"Li", "Zhang", "Liu", "Tanaka", "Suzuki", "Sato", "Yamamoto", "Patel",
	"Shah", "Singh", "Kumar", "Gupta", "Iyer", "Okafor", "Mensah",
	"Diallo", "Nkosi", "Haddad", "Khalil", "Rahman", "Yılmaz", "Öztürk",
	"Kaya", "Müller", "Schmidt", "Schneider", "Fischer", "Weber",
	"Wagner", "Becker", "Hoffmann", "Schäfer", "Dubois", "Lefèvre",
	"Moreau", "Laurent", "Girard", "Rousseau", "Fontaine", "Rossi",
	"Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Novák",
	"Dvořák", "Svoboda", "Kowalski", "Nowak", "Wiśniewski", "Wójcik",
	"Lewandowski", "Sørensen", "Jensen", "Nielsen", "Hansen",
	"Andersson", "Johansson", "Lindström", "Nyström", "Virtanen",
	"Korhonen", "Mäkinen", "Ivanov", "Petrov", "Popescu", "Horváth",
	"Nagy", "Kovács", "Papadopoulos", "Silva", "Santos", "Oliveira",
	"Pereira", "Costa", "Fernández", "Sánchez", "Ramírez", "Peña",
	"van der Berg", "de Vries", "Jansen", "Bakker", "Janssens", "Peeters",
	"O'Connor", "Byrne"
};

/* Accented letters of the lists above, for the ASCII of addresses. */
static const char *const sample_fold[][2] = {
	{ "à", "a" }, { "á", "a" }, { "ä", "a" }, { "å", "a" }, { "Å", "A" },
	{ "ç", "c" }, { "Ç", "C" }, { "č", "c" }, { "é", "e" }, { "è", "e" },
	{ "ë", "e" }, { "ě", "e" }, { "ğ", "g" }, { "í", "i" }, { "ï", "i" },
	{ "ı", "i" }, { "Í", "I" }, { "Ł", "L" }, { "ł", "l" }, { "ñ", "n" },
	{ "ó", "o" }, { "ö", "o" }, { "Ö", "O" }, { "Ó", "O" }, { "ø", "o" },
	{ "ř", "r" }, { "š", "s" }, { "ś", "s" }, { "ş", "s" },
	{ "ú", "u" }, { "ü", "u" }, { "ž", "z" }, { "ń", "n" }, { "ć", "c" }
};

static const char *const sample_co_a[] = {
	"Acme", "Northwind", "Bluebird", "Kestrel", "Lumen", "Brightpath",
	"Copperleaf", "Driftwood", "Evergreen", "Foxglove", "Granite",
	"Harbor", "Ironbark", "Juniper", "Keystone", "Larkspur", "Meridian",
	"Nimbus", "Oakridge", "Pinecrest", "Redwood", "Saffron", "Tidewater",
	"Vantage", "Willow", "Zenith", "Alder", "Cobalt", "Ember", "Falcon",
	"Heron", "Indigo", "Jasper", "Linden", "Nordlys", "Orchard",
	"Pioneer", "Riverside", "Summit", "Thistle", "Westwind", "Fjord",
	"Kraków", "Malmö", "Zürich", "São Paulo", "Île", "Åland"
};

static const char *const sample_co_b[] = {
	"Labs", "Consulting", "Studio", "Logistics", "Bakery", "Dental",
	"Legal", "Architects", "Analytics", "Media", "Software", "Partners",
	"Capital", "Design", "Foods", "Fitness", "Realty", "Energy", "Health",
	"Insurance", "Accounting", "Robotics", "Travel", "Print", "Events",
	"Coffee Roasters", "Interiors", "Engineering", "GmbH", "SARL", "Ltd",
	"& Co", "Clinic", "Academy", "Brewing", "Motors"
};

static const char *const sample_titles[] = {
	"CEO", "CTO", "Founder", "Co-founder", "Managing director",
	"Head of marketing", "Marketing manager", "Sales director",
	"Office manager", "Operations lead", "Product manager", "Owner",
	"Partner", "HR director", "CFO", "Finance manager", "Procurement lead",
	"Practice manager", "Creative director", "Engineering manager",
	"Head of people", "Clinic owner", "Store manager", "Consultant",
	"Architect", "Accountant", "Lawyer", "Photographer", "Designer",
	"Developer", "Account executive", "Community manager",
	"Event planner", "Professor", "Journalist", "Chef", "Board member",
	"Investor", "Recruiter"
};

struct sample_event {
	const char	*name;
	const char	*tag;
};

static const struct sample_event sample_events[] = {
	{ "BNI breakfast", "bni" },
	{ "SaaS founders meetup", "saas" },
	{ "Chamber of Commerce mixer", "chamber" },
	{ "Web Summit", "conference" },
	{ "Lisbon Tech Week", "conference" },
	{ "Women in Tech lunch", "wit" },
	{ "Startup Grind", "startup" },
	{ "Rotary Club dinner", "rotary" },
	{ "co-working open house", "coworking" },
	{ "Design Systems conference", "conference" },
	{ "Freelancers' coffee morning", "freelance" },
	{ "Marketing Week", "conference" },
	{ "AI meetup", "ai" },
	{ "Small Business Expo", "expo" },
	{ "PyCon", "conference" },
	{ "DevOpsDays", "conference" },
	{ "Retail innovation forum", "retail" },
	{ "Product Hunt meetup", "startup" },
	{ "Toastmasters evening", "toastmasters" },
	{ "HR leaders roundtable", "hr" },
	{ "Real-estate investors club", "realestate" },
	{ "Hannover Messe", "tradefair" },
	{ "Salon des entrepreneurs", "conference" },
	{ "Kraków founders' drinks", "startup" },
	{ "Øresund Startup Summit", "conference" },
	{ "alumni reunion", "alumni" }
};

static const char *const sample_friend_places[] = {
	"university", "climbing gym", "Sam's wedding", "the kids' school",
	"book club", "running club", "a previous job", "the neighbourhood",
	"yoga class", "a summer course in Kraków"
};

static const char *const sample_needs[] = {
	"a new website", "bookkeeping for a team of five",
	"an SEO audit before the spring launch",
	"help hiring two senior developers",
	"a CRM migration from spreadsheets", "a brand refresh",
	"a mobile app for field technicians", "monthly payroll",
	"a data dashboard for the sales team", "a GDPR compliance review",
	"a photographer for the product launch",
	"translation of the catalogue into German", "a cloud cost review",
	"an office move in March", "coaching for new managers",
	"a booking system for the clinic", "video editing for an online course",
	"an online shop", "legal review of supplier contracts",
	"a speaker for their conference", "tax advice on the new subsidiary",
	"packaging design", "a press release and media list",
	"IT support for twenty laptops", "an accessibility audit",
	"copywriting for the new product pages", "a trade-show booth",
	"security training for staff", "a loyalty programme",
	"a warehouse layout plan", "an investor pitch deck",
	"a podcast production partner", "interior design for a café",
	"a newsletter strategy", "sales training for the team",
	"a logo for the bakery", "an employee handbook", "a pricing study",
	"a chatbot for customer service", "a grant application",
	"market research in Scandinavia", "a recruiter for a head of sales",
	"a workshop on time management", "an energy audit of the factory"
};

static const char *const sample_friend_needs[] = {
	"a flat in Lisbon", "a good physiotherapist",
	"a babysitter on Fridays", "advice on buying a first home",
	"a used cargo bike", "a new job in design"
};

static const char *const sample_notes[] = {
	"Prefers calls after 4pm.",
	"Two kids; coaches junior football on Saturdays.",
	"Budget decisions are made in January.",
	"Vegetarian; liked the Thai place for lunch.",
	"Speaks French and German.",
	"Runs marathons, training for Berlin.",
	"Their CFO signs anything over 10k.",
	"Just moved offices to the harbour district.",
	"Prefers e-mail over the phone.",
	"Loves jazz and plays the saxophone.",
	"Hiring fast after the series A.",
	"Busy until the end of the quarter.",
	"Reads everything on the phone: keep e-mails short.",
	"Dog person: a beagle called Pixel.",
	"Asked for references from similar companies.",
	"Likes detailed written proposals.",
	"Cycles to work; no meetings before 9.",
	"Works four days a week, off on Fridays.",
	"Board member of the local chamber.",
	"Writes a newsletter on retail trends.",
	"Worked at a Big Four firm before.",
	"Relocating to Lisbon next spring.",
	"Big fan of Łódź street art.",
	"Café crème, no sugar.",
	"Met their co-founder too; both decide together."
};

static const char *const sample_tags[] = {
	"vip", "newsletter", "warm", "cold", "local", "remote", "design",
	"dev", "finance", "marketing", "legal", "health", "speaker",
	"investor", "alumni", "golf", "board"
};

static const char *const sample_zones[] = {
	"Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Warsaw",
	"Europe/Copenhagen", "America/New_York", "America/Chicago",
	"America/Los_Angeles", "Asia/Tokyo", "Asia/Singapore",
	"Australia/Sydney", "Africa/Lagos"
};

/* Interactions: kind, then templates ({need} {company} {first} {event}). */
static const char *const sample_say_call[] = {
	"Call about {need}", "Quick call: wants a quote by Friday",
	"Left a voicemail", "Call: budget approved, next step a proposal",
	"Call: timing moved to next quarter",
	"Catch-up call, all well at {company}",
	"Call with {first} and their CFO about pricing"
};
static const char *const sample_say_email[] = {
	"Sent the proposal for {need}", "Sent a case study",
	"Answered questions on pricing", "Intro e-mail after {event}",
	"Sent the invoice", "Shared the meeting notes",
	"Asked for a referral", "Sent the revised estimate",
	"Sent three references"
};
/* What they sent or said when they reached out (calls, e-mails). */
static const char *const sample_say_in[] = {
	"They asked for references", "Asked whether we can start next month",
	"Question about the invoice", "Sent their requirements for {need}",
	"Thanked us for the proposal", "Asked for a call about {need}"
};
static const char *const sample_say_meeting[] = {
	"Discovery meeting about {need}", "Requirements workshop at {company}",
	"Demo of the prototype", "Kick-off meeting", "Quarterly review",
	"Pricing negotiation"
};
static const char *const sample_say_inperson[] = {
	"Coffee near their office", "Lunch: talked about {need}",
	"Ran into {first} at {event}", "Visited their new office"
};
static const char *const sample_say_message[] = {
	"LinkedIn: congratulated on the new role",
	"WhatsApp: confirmed Thursday at 10", "Texted the meeting address",
	"LinkedIn: shared an article on {need}"
};
static const char *const sample_say_note[] = {
	"Decision expected after the board meeting", "Prefers short e-mails",
	"Their budget resets in January", "A competitor quoted 20% less"
};
/* With friends, by interaction kind (the order of sample_ikinds). */
static const char *const sample_say_friend[][3] = {
	{ "Caught up on the phone", "Long call about the new job",
	    "Called to say happy birthday" },
	{ "Sent the flat listings", "Shared the photos from the trip",
	    "Sent the article we talked about" },
	{ "Helped with their CV", "Planned the trip together",
	    "Went through the renovation plans" },
	{ "Dinner at the Thai place", "Climbing session", "Coffee and a walk" },
	{ "Birthday wishes", "Planned the weekend", "Sent a photo of the dog" },
	{ "Their daughter starts school in September",
	    "Moving house in the spring", "Training for a half marathon" }
};

static const char *const sample_reasons[] = {
	"Send the proposal", "Send a case study on {need}",
	"Follow up on the quote", "Book a discovery call",
	"Check in after their launch", "Ask for a referral",
	"Send the contract", "Chase the unpaid invoice",
	"Share the meeting notes", "Congratulate {first} on the new role",
	"Invite to the next {event}", "Send the revised estimate",
	"Ask how {need} is going"
};
static const char *const sample_friend_reasons[] = {
	"Plan dinner", "Send birthday wishes", "Return the book",
	"Ask about the new job"
};
static const char *const sample_inquiries[] = {
	"Website form: asks about {need}",
	"Asked for a quote for {need}",
	"Wants a call this week about {need}"
};

static const char *const sample_deal_titles[] = {
	"Website redesign", "SEO retainer", "Bookkeeping setup",
	"Brand identity", "CRM migration", "Quarterly workshop",
	"Hiring: two developers", "Mobile app MVP", "Sales dashboard",
	"Office move", "Annual maintenance", "Training day",
	"Product launch shoot", "Catalogue translation", "Cloud cost review",
	"Pitch deck", "Accessibility audit", "Podcast season 2"
};
static const char *const sample_steps[] = {
	"Send proposal v2", "Schedule the kick-off call",
	"Chase the signed contract", "Prepare the estimate", "Book the consult",
	"Answer questions on scope", "Send references",
	"Agree on the start date", "Send the revised pricing",
	"Meet the decision maker", "Get the PO number"
};
static const int64_t sample_values[] = {
	800, 1200, 1500, 2400, 3000, 4800, 6000, 7500, 9000, 12000, 15000,
	18000, 25000, 40000, 60000, 95000
};

/* Contact kinds as in core/contact.c, with their share in percent. */
enum { K_PROSPECT, K_CLIENT, K_FRIEND, K_PARTNER, K_OTHER };
static const char *const sample_kinds[] = {
	"prospect", "client", "friend", "partner", "other"
};
static const unsigned sample_kind_w[] = { 35, 20, 15, 10, 20 };

enum { S_EVENT, S_REFERRAL, S_INBOUND, S_IMPORT, S_OTHER };
static const char *const sample_sources[] = {
	"event", "referral", "inbound", "import", "other"
};

/* Keep-in-touch: chance in percent by kind, and the spec weights. */
static const char *const sample_cadences[] = { "2w", "6w", "3m", "1y" };
static const unsigned sample_cad_pct[] = { 30, 60, 70, 50, 15 };
static const unsigned sample_cad_w[][4] = {
	{ 40, 45, 15, 0 },	/* prospect */
	{ 5, 50, 45, 0 },	/* client */
	{ 0, 35, 40, 25 },	/* friend */
	{ 10, 40, 40, 10 },	/* partner */
	{ 0, 20, 40, 40 }	/* other */
};

/* Interactions of one contact, by kind: at least, and how many more. */
static const int sample_touch_min[] = { 0, 2, 1, 1, 0 };
static const int sample_touch_add[] = { 6, 10, 7, 7, 3 };

/* Open follow-up, deal: chance in percent by kind. */
static const unsigned sample_open_pct[] = { 9, 8, 3, 6, 3 };
static const unsigned sample_deal_pct[] = { 15, 20, 0, 8, 2 };

static const char *const sample_ikinds[] = {
	"call", "email", "meeting", "in-person", "message", "note"
};
static const unsigned sample_ikind_w[] = { 24, 38, 16, 8, 9, 5 };
static const unsigned sample_ikind_friend_w[] = { 25, 5, 0, 30, 35, 5 };

/* ---- random numbers: splitmix64 ---- */

struct rng {
	uint64_t	s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t	z;

	r->s += UINT64_C(0x9e3779b97f4a7c15);
	z = r->s;
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n) (n small: the bias of the multiply is negligible). */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static int64_t
rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	uint64_t	span;

	if (hi <= lo)
		return lo;
	span = (uint64_t)(hi - lo) + 1;
	return lo + (int64_t)(rng_next(r) % span);
}

static double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int
rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

static size_t
rng_pick(struct rng *r, const unsigned *w, size_t n)
{
	unsigned	total = 0, x;
	size_t		i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define PICK(r, list)	((list)[rng_below((r), NELEM(list))])

/* A value that depends only on seed, i and k: names are recomputable. */
static uint64_t
rng_hash(uint64_t seed, uint64_t i, uint64_t k)
{
	struct rng	r;

	r.s = seed ^ (i * UINT64_C(0xd1b54a32d192ed03)) ^
	    (k * UINT64_C(0x8cb92ba72f3d8dd7));
	rng_next(&r);
	return rng_next(&r);
}

/* ---- the generator ---- */

struct gen {
	struct store		*s;
	const struct sample_opts *o;
	struct sample_stats	*st;
	struct rng		 r;
	int64_t			*ids;	/* contact i's id */
	int64_t			 day[DAYS_PAST + DAYS_AHEAD + 1];
	struct cadence		 cad[NELEM(sample_cadences)];
	int			 cad_days[NELEM(sample_cadences)];
	struct deal_stages	 stages;
	char			 first_key[NELEM(sample_first)][32];
	char			 last_key[NELEM(sample_last)][32];
	size_t			 recent;	/* the last ones: just met */
	size_t			 best_touches;
	int			 best_deal;
};

/* One contact while it is drawn and written. */
struct person {
	size_t		 i;
	int		 kind;
	int		 src;
	size_t		 first, last;
	size_t		 via;		/* the referrer's index */
	size_t		 ntags;
	const char	*event;
	const char	*need;
	int64_t		 met;		/* first known: history starts here */
	int64_t		 id;
	int		 cad;		/* index in sample_cadences, or -1 */
	int		 open_inquiry;
	int		 has_open;	/* a pending follow-up (or inquiry) */
	int64_t		 deal_id;	/* an open deal, or 0 */
	int64_t		 last_touch;
	size_t		 touches;

	char		 name[128];
	char		 company[128];
	char		 title[64];
	char		 kind_s[16];
	char		 source_s[16];
	char		 where[96];
	char		 needs[160];
	char		 notes[400];
	char		 tz[40];
	char		 email[2][128];
	char		 phone[2][40];
	char		 tag[3][32];
	char		*emailv[2];
	char		*phonev[2];
	char		*tagv[3];
};

/* The start of the local day k days from today (k may be negative). */
static int64_t
gen_day(const struct gen *g, int k)
{
	if (k < -DAYS_PAST)
		k = -DAYS_PAST;
	if (k > DAYS_AHEAD)
		k = DAYS_AHEAD;
	return g->day[k + DAYS_PAST];
}

/* The day k (from today) that holds t, within the table. */
static int
gen_day_of(const struct gen *g, int64_t t)
{
	size_t	lo = 0, hi = NELEM(g->day) - 1, mid;

	if (t < g->day[0])
		return -DAYS_PAST;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (g->day[mid] <= t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (int)lo - DAYS_PAST;
}

/* Copy s into buf (NULL stays NULL); returns buf or NULL. */
static char *
gen_set(char *buf, size_t n, const char *s)
{
	if (s == NULL)
		return NULL;
	snprintf(buf, n, "%s", s);
	return buf;
}

/* The ASCII of a name for an address: folded letters, no blanks. */
static void
gen_ascii(const char *in, char *out, size_t n)
{
	size_t		 o = 0, i, len;
	unsigned char	 ch;

	while (*in != '\0' && o + 2 < n) {
		ch = (unsigned char)*in;
		if (ch < 0x80) {
			if ((ch >= 'a' && ch <= 'z') ||
			    (ch >= '0' && ch <= '9'))
				out[o++] = (char)ch;
			else if (ch >= 'A' && ch <= 'Z')
				out[o++] = (char)(ch - 'A' + 'a');
			in++;
			continue;
		}
		for (i = 0; i < NELEM(sample_fold); i++) {
			len = strlen(sample_fold[i][0]);
			if (strncmp(in, sample_fold[i][0], len) == 0)
				break;
		}
		if (i < NELEM(sample_fold)) {
			ch = (unsigned char)sample_fold[i][1][0];
			out[o++] = (char)(ch >= 'A' && ch <= 'Z' ?
			    ch - 'A' + 'a' : ch);
			in += len;
		} else {
			/* unknown letter: skip its UTF-8 sequence */
			in++;
			while (((unsigned char)*in & 0xc0) == 0x80)
				in++;
		}
	}
	out[o] = '\0';
}

/* Expand {need} {company} {first} {event} of tmpl into buf. */
static void
gen_fill(char *buf, size_t n, const char *tmpl, const struct person *p)
{
	const char	*v, *end;
	size_t		 o = 0, k;

	while (*tmpl != '\0' && o + 1 < n) {
		end = *tmpl == '{' ? strchr(tmpl, '}') : NULL;
		if (end == NULL) {
			buf[o++] = *tmpl++;
			continue;
		}
		k = (size_t)(end - tmpl) + 1;
		if (strncmp(tmpl, "{need}", k) == 0)
			v = p->need != NULL ? p->need : "the project";
		else if (strncmp(tmpl, "{company}", k) == 0)
			v = p->company[0] != '\0' ? p->company : "their office";
		else if (strncmp(tmpl, "{event}", k) == 0)
			v = p->event != NULL ? p->event : "the meetup";
		else
			v = sample_first[p->first];
		o += (size_t)snprintf(buf + o, n - o, "%s", v);
		if (o >= n)
			o = n - 1;
		tmpl = end + 1;
	}
	buf[o] = '\0';
}

/* The name indices of contact i: a pure function of seed and i. */
static void
gen_name(const struct gen *g, size_t i, size_t *first, size_t *last)
{
	*first = (size_t)(rng_hash(g->o->seed, i, 1) % NELEM(sample_first));
	*last = (size_t)(rng_hash(g->o->seed, i, 2) % NELEM(sample_last));
}

/* A time on local day k at a random minute between from and to hours. */
static int64_t
gen_at(struct gen *g, int k, int from, int to)
{
	return gen_day(g, k) + rng_range(&g->r, from * 60, to * 60 - 1) *
	    MINUTE;
}

/* Draw who the contact is and how you met. */
static void
gen_identity(struct gen *g, struct person *p)
{
	struct rng	*r = &g->r;
	size_t		 n = g->o->contacts, j, k, ntags = 0;
	size_t		 vf, vl;
	int		 mday, e;
	const char	*t;

	p->kind = (int)rng_pick(r, sample_kind_w, NELEM(sample_kind_w));
	gen_name(g, p->i, &p->first, &p->last);
	snprintf(p->name, sizeof p->name, "%s %s", sample_first[p->first],
	    sample_last[p->last]);

	/* met in order over the year; the last few reached out just now */
	mday = -365 + (int)((p->i * 364) / (n > 0 ? n : 1));
	p->met = gen_at(g, mday, 7, 21);
	p->src = S_EVENT;
	if (p->i + g->recent >= n && rng_pct(r, 50)) {
		p->open_inquiry = 1;
		p->kind = K_PROSPECT;
		p->src = S_INBOUND;
		p->met = g->o->now - rng_range(r, HOUR, 70 * HOUR);
	} else if (p->i > 0 && rng_pct(r, 20))
		p->src = S_REFERRAL;
	else if (p->kind == K_FRIEND)
		p->src = S_OTHER;
	else {
		k = rng_below(r, 100);
		p->src = k < 70 ? S_EVENT : k < 85 ? S_INBOUND : S_IMPORT;
	}
	snprintf(p->kind_s, sizeof p->kind_s, "%s", sample_kinds[p->kind]);
	snprintf(p->source_s, sizeof p->source_s, "%s",
	    sample_sources[p->src]);

	p->where[0] = '\0';
	p->notes[0] = '\0';
	p->event = NULL;
	if (p->src == S_EVENT) {
		/* most people met on a day were met at that day's event */
		e = (int)(rng_pct(r, 75) ?
		    rng_hash(g->o->seed, (uint64_t)(mday + 1000), 3) %
		    NELEM(sample_events) : rng_below(r, NELEM(sample_events)));
		p->event = sample_events[e].name;
		snprintf(p->where, sizeof p->where, "%s", p->event);
		if (rng_pct(r, 60))
			snprintf(p->tag[ntags++], sizeof p->tag[0], "%s",
			    sample_events[e].tag);
		g->st->events++;
	} else if (p->src == S_OTHER)
		snprintf(p->where, sizeof p->where, "%s",
		    PICK(r, sample_friend_places));
	else if (p->src == S_REFERRAL) {
		/* early contacts are the connectors: they refer the most */
		p->via = (size_t)((double)p->i * rng_unit(r) * rng_unit(r));
		gen_name(g, p->via, &vf, &vl);
		snprintf(p->notes, sizeof p->notes, "Introduced by %s %s. ",
		    sample_first[vf], sample_last[vl]);
		g->st->referrals++;
	} else if (p->src == S_IMPORT)
		snprintf(p->notes, sizeof p->notes, "Imported from LinkedIn "
		    "connections. ");

	p->company[0] = '\0';
	if (p->kind != K_FRIEND || rng_pct(r, 60)) {
		if (rng_pct(r, 3))
			snprintf(p->company, sizeof p->company, "%s",
			    rng_pct(r, 50) ? "Müller & Söhne" :
			    "Łódź Robotics");
		else
			snprintf(p->company, sizeof p->company, "%s %s",
			    PICK(r, sample_co_a), PICK(r, sample_co_b));
	}
	snprintf(p->title, sizeof p->title, "%s", PICK(r, sample_titles));
	if (p->kind == K_FRIEND)
		p->need = rng_pct(r, 25) ? PICK(r, sample_friend_needs) : NULL;
	else
		p->need = p->kind == K_OTHER && rng_pct(r, 50) ? NULL :
		    PICK(r, sample_needs);
	if (p->open_inquiry && p->need == NULL)
		p->need = PICK(r, sample_needs);
	gen_set(p->needs, sizeof p->needs, p->need);
	k = rng_below(r, 3);
	while (k-- > 0) {
		t = PICK(r, sample_notes);
		j = strlen(p->notes);
		snprintf(p->notes + j, sizeof p->notes - j, "%s ", t);
	}
	j = strlen(p->notes);
	if (j > 0)
		p->notes[j - 1] = '\0';

	/* unique addresses: the contact's number is in every one */
	snprintf(p->email[0], sizeof p->email[0], "%s.%s.%zu@example.com",
	    g->first_key[p->first], g->last_key[p->last], p->i + 1);
	snprintf(p->email[1], sizeof p->email[1], "%c%s.%zu@%s",
	    g->first_key[p->first][0],
	    g->last_key[p->last], p->i + 1,
	    rng_pct(r, 50) ? "example.org" : "example.net");
	snprintf(p->phone[0], sizeof p->phone[0], "+1 (%d) 555-01%02u",
	    (int)rng_range(r, 201, 989), rng_below(r, 100));
	switch (rng_below(r, 4)) {
	case 0:
		snprintf(p->phone[1], sizeof p->phone[1], "+44 20 7946 0%03u",
		    rng_below(r, 1000));
		break;
	case 1:
		snprintf(p->phone[1], sizeof p->phone[1],
		    "+33 6 %02u %02u %02u %02u", rng_below(r, 100),
		    rng_below(r, 100), rng_below(r, 100), rng_below(r, 100));
		break;
	case 2:
		snprintf(p->phone[1], sizeof p->phone[1], "+49 151 %08u",
		    rng_below(r, 100000000));
		break;
	default:
		snprintf(p->phone[1], sizeof p->phone[1], "+48 601 %03u %03u",
		    rng_below(r, 1000), rng_below(r, 1000));
		break;
	}
	k = rng_below(r, 3);
	while (k-- > 0 && ntags < NELEM(p->tag)) {
		t = PICK(r, sample_tags);
		for (j = 0; j < ntags; j++)
			if (strcmp(p->tag[j], t) == 0)
				break;
		if (j == ntags)
			snprintf(p->tag[ntags++], sizeof p->tag[0], "%s", t);
	}
	for (j = 0; j < ntags; j++)
		p->tagv[j] = p->tag[j];
	p->tz[0] = '\0';
	if (rng_pct(r, 12))
		snprintf(p->tz, sizeof p->tz, "%s", PICK(r, sample_zones));
	p->cad = -1;
	if (rng_pct(r, sample_cad_pct[p->kind]))
		p->cad = (int)rng_pick(r, sample_cad_w[p->kind],
		    NELEM(sample_cad_w[0]));
	p->ntags = ntags;
	p->emailv[0] = p->email[0];
	p->emailv[1] = p->email[1];
	p->phonev[0] = p->phone[0];
	p->phonev[1] = p->phone[1];
}

static int
gen_contact(struct gen *g, struct person *p, struct err *e)
{
	struct rng	*r = &g->r;
	struct contact	 c;
	int64_t		 created;
	int		 rc;

	memset(&c, 0, sizeof c);
	c.name = p->name;
	c.company = p->company[0] != '\0' ? p->company : NULL;
	c.title = c.company != NULL || rng_pct(r, 30) ? p->title : NULL;
	c.kind = p->kind_s;
	c.source = p->source_s;
	c.tz = p->tz[0] != '\0' ? p->tz : NULL;
	c.met_where = p->where[0] != '\0' ? p->where : NULL;
	c.met_on = p->met;
	if (p->src == S_IMPORT)
		c.met_on = 0;
	else if (p->src == S_OTHER)
		/* friends go back years; they joined tend this year */
		c.met_on = p->met - rng_range(r, 2, 15) * 365 * DAY;
	if (p->src == S_REFERRAL)
		c.via_id = g->ids[p->via];
	c.needs = p->need != NULL ? p->needs : NULL;
	c.notes = p->notes[0] != '\0' ? p->notes : NULL;
	c.do_not_contact = rng_pct(r, 1);
	c.emails.v = p->emailv;
	c.emails.n = rng_pct(r, 95) ? (rng_pct(r, 20) ? 2 : 1) : 0;
	c.phones.v = rng_pct(r, 50) ? p->phonev : p->phonev + 1;
	c.phones.n = rng_pct(r, 75) ? 1 : 0;
	if (c.phones.n == 1 && c.phones.v == p->phonev && rng_pct(r, 15))
		c.phones.n = 2;
	c.tags.v = p->tagv;
	c.tags.n = p->ntags;
	if ((rc = contact_check(&c, e)) != 0)
		return rc;
	created = p->met + rng_range(r, 0, 6 * HOUR);
	if (created > g->o->now)
		created = g->o->now;
	if ((rc = store_contact_insert(g->s, &c, created, e)) != 0)
		return rc;
	p->id = c.id;
	g->ids[p->i] = c.id;
	g->st->contacts++;
	g->st->by_kind[p->kind]++;
	g->st->emails += c.emails.n;
	g->st->phones += c.phones.n;
	return 0;
}

static int
gen_touch(struct gen *g, struct person *p, const char *kind,
    const char *dir, int64_t at, const char *summary, struct err *e)
{
	struct interaction	 it;
	char			 k[16], d[8], sum[256];
	int			 rc;

	memset(&it, 0, sizeof it);
	it.contact_id = p->id;
	it.kind = gen_set(k, sizeof k, kind);
	it.direction = gen_set(d, sizeof d, dir);
	it.at = at;
	it.created = at;
	it.summary = gen_set(sum, sizeof sum, summary);
	if ((rc = interaction_check(&it, e)) != 0 ||
	    (rc = store_interaction_add(g->s, &it, e)) != 0)
		return rc;
	if (at > p->last_touch)
		p->last_touch = at;
	p->touches++;
	g->st->interactions++;
	return 0;
}

/*
 * Add a follow-up created at `created`, due at `due`.  State "open" keeps
 * it so; "snoozed" snoozes it at `at` to `due` (it was due earlier);
 * "done" and "cancelled" close it at `at`.
 */
static int
gen_followup(struct gen *g, struct person *p, const char *kind,
    const char *reason, const char *channel, int64_t deal_id,
    int64_t created, int64_t due, const char *state, int64_t at,
    struct err *e)
{
	struct followup	 f;
	char		 k[16], rs[256], ch[16];
	int		 rc, snoozed;

	memset(&f, 0, sizeof f);
	f.contact_id = p->id;
	f.deal_id = deal_id;
	f.kind = gen_set(k, sizeof k, kind);
	f.reason = gen_set(rs, sizeof rs, reason);
	f.channel = gen_set(ch, sizeof ch, channel);
	snoozed = strcmp(state, "snoozed") == 0;
	f.due = snoozed ? due - rng_range(&g->r, 2, 5) * DAY : due;
	if (f.due < created)
		f.due = created;
	if ((rc = followup_check(&f, e)) != 0 ||
	    (rc = store_followup_add(g->s, &f, created, e)) != 0)
		return rc;
	g->st->followups++;
	if (strcmp(state, "open") == 0)
		return 0;
	if (snoozed)
		return store_followup_set(g->s, f.id, "snoozed", due,
		    "snoozed", at, e);
	return store_followup_set(g->s, f.id, state, due,
	    strcmp(state, "done") == 0 ? "done" : "no longer needed", at, e);
}

static const char *
gen_channel(const char *ikind)
{
	if (strcmp(ikind, "note") == 0 || strcmp(ikind, "in-person") == 0)
		return "any";
	return ikind;
}

/* A year of interactions, with the follow-ups that came out of them. */
static int
gen_history(struct gen *g, struct person *p, struct err *e)
{
	struct rng	*r = &g->r;
	const int64_t	 now = g->o->now;
	const char	*kind, *tmpl, *state, *dir;
	int64_t		 t[MAX_TOUCHES], last, from, x, due, done;
	char		 sum[256], reason[256];
	size_t		 ik;
	int		 n, i, j, days, lag, k0, k1;
	int		 rc;

	from = p->met;
	if (p->src == S_INBOUND) {
		/* the inquiry, and the reply unless it is still waiting */
		gen_fill(sum, sizeof sum, PICK(r, sample_inquiries), p);
		if ((rc = gen_touch(g, p, "email", "in", p->met, sum, e)) != 0)
			return rc;
		x = p->met + rng_range(r, HOUR, 30 * HOUR);
		if (p->open_inquiry || x >= now) {
			p->has_open = 1;
			g->st->inquiries_open++;
			return gen_followup(g, p, "inquiry", sum, "email", 0,
			    p->met, p->met + 4 * HOUR, "open", 0, e);
		}
		if ((rc = gen_followup(g, p, "inquiry", sum, "email", 0,
		    p->met, p->met + 4 * HOUR, "done", x, e)) != 0 ||
		    (rc = gen_touch(g, p, "email", "out", x, "Replied to the "
		    "inquiry and proposed a call", e)) != 0)
			return rc;
		from = x;
	}

	days = (int)((now - from) / DAY);
	n = sample_touch_min[p->kind] +
	    (int)rng_below(r, (uint32_t)sample_touch_add[p->kind] + 1);
	if (n > 1 + days / 10)
		n = 1 + days / 10;
	if (n > MAX_TOUCHES)
		n = MAX_TOUCHES;
	if (n <= 0 || now - from < 2 * HOUR)
		return 0;

	/* the last touch: people with a cadence mostly keep to it */
	k0 = gen_day_of(g, from);
	if (p->cad >= 0) {
		lag = (int)(rng_unit(r) * 1.35 * g->cad_days[p->cad]);
		last = gen_at(g, -lag, 8, 19);
	} else
		last = gen_at(g, (int)rng_range(r, k0, 0), 8, 19);
	if (last > now - 10 * MINUTE)
		last = now - 10 * MINUTE;
	if (last <= from)
		last = from + MINUTE;
	t[n - 1] = last;
	/* the others on working days in between, in office hours */
	k1 = gen_day_of(g, last);
	for (i = 0; i < n - 1; i++) {
		t[i] = gen_at(g, (int)rng_range(r, k0, k1), 8, 19);
		if (t[i] < from)
			t[i] = from + MINUTE;
		if (t[i] > last)
			t[i] = last - MINUTE;
	}
	/* insertion sort: a dozen values at most */
	for (i = 1; i < n - 1; i++)
		for (j = i; j > 0 && t[j - 1] > t[j]; j--) {
			x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	if (p->src == S_EVENT && rng_pct(r, 50))
		t[0] = p->met;

	for (i = 0; i < n; i++) {
		ik = rng_pick(r, p->kind == K_FRIEND ? sample_ikind_friend_w :
		    sample_ikind_w, NELEM(sample_ikind_w));
		kind = sample_ikinds[ik];
		/* they call, write and message too; meetings are yours */
		dir = "out";
		if ((strcmp(kind, "call") == 0 || strcmp(kind, "email") == 0 ||
		    strcmp(kind, "message") == 0) && rng_pct(r, 35))
			dir = "in";
		if (p->kind == K_FRIEND)
			tmpl = PICK(r, sample_say_friend[ik]);
		else {
			if (i == 0 && t[0] == p->met && p->event != NULL) {
				kind = "in-person";
				dir = "out";
				tmpl = "Met at {event}: talked about {need}";
			} else if (strcmp(dir, "in") == 0)
				tmpl = PICK(r, sample_say_in);
			else if (strcmp(kind, "call") == 0)
				tmpl = PICK(r, sample_say_call);
			else if (strcmp(kind, "email") == 0)
				tmpl = PICK(r, sample_say_email);
			else if (strcmp(kind, "meeting") == 0)
				tmpl = PICK(r, sample_say_meeting);
			else if (strcmp(kind, "in-person") == 0)
				tmpl = PICK(r, sample_say_inperson);
			else if (strcmp(kind, "message") == 0)
				tmpl = PICK(r, sample_say_message);
			else
				tmpl = PICK(r, sample_say_note);
		}
		gen_fill(sum, sizeof sum, tmpl, p);
		if ((rc = gen_touch(g, p, kind, dir, t[i], sum, e)) != 0)
			return rc;
		/* a follow-up promised then, done (mostly) since */
		if (i == n - 1 || !rng_pct(r, 30))
			continue;
		due = when_day_start(t[i], g->o->tz) +
		    rng_range(r, 1, 7) * DAY +
		    (rng_pct(r, 50) ? 0 : rng_range(r, 9, 17) * HOUR);
		done = due + rng_range(r, -20 * HOUR, 40 * HOUR);
		if (done <= t[i])
			done = t[i] + HOUR;
		if (done >= now)
			continue;
		x = rng_below(r, 100);
		state = x < 92 ? "done" : "cancelled";
		gen_fill(reason, sizeof reason, p->kind == K_FRIEND ?
		    PICK(r, sample_friend_reasons) : PICK(r, sample_reasons),
		    p);
		if ((rc = gen_followup(g, p, "task", reason, gen_channel(kind),
		    0, t[i] + MINUTE, due, state, done, e)) != 0)
			return rc;
	}
	return 0;
}

/* Stage weights by position: open stages share 62%, won 24, lost 14. */
static size_t
gen_stage(struct gen *g)
{
	static const unsigned	 def[] = { 14, 18, 20, 10, 24, 14 };
	unsigned		 w[DEAL_STAGES_MAX];
	size_t			 i, n = g->stages.n;

	if (n == NELEM(def))
		return rng_pick(&g->r, def, n);
	for (i = 0; i + DEAL_CLOSING < n; i++)
		w[i] = 62;
	w[n - 2] = 24 * (unsigned)(n - DEAL_CLOSING);
	w[n - 1] = 14 * (unsigned)(n - DEAL_CLOSING);
	return rng_pick(&g->r, w, n);
}

/* A deal with its stage history and, when open, maybe a next step. */
static int
gen_deal(struct gen *g, struct person *p, struct err *e)
{
	struct rng	*r = &g->r;
	const int64_t	 now = g->o->now;
	struct deal	 d;
	size_t		 target, nopen, path[DEAL_STAGES_MAX], np = 0, q;
	int64_t		 since, created, at, due;
	char		 title[160], stage[DEAL_STAGE_LEN + 1], step[160];
	int		 rc, closed, k;

	nopen = g->stages.n - DEAL_CLOSING;
	target = gen_stage(g);
	closed = deal_stage_closes(&g->stages, target);
	/* the stages it went through, the first one first */
	if (target == g->stages.n - 1)		/* lost: at any open stage */
		q = rng_below(r, (uint32_t)nopen);
	else if (closed)			/* won: through them all */
		q = nopen - 1;
	else
		q = target;
	for (np = 0; np <= q; np++)
		path[np] = np;
	if (closed)
		path[np++] = target;

	if (closed)
		since = now - rng_range(r, 1, 300) * DAY;
	else if (rng_pct(r, 70))
		since = now - rng_range(r, 0, 13 * DAY);
	else
		since = now - rng_range(r, 15, 120) * DAY;
	if (since < p->met + HOUR)
		since = p->met + HOUR;
	if (since > now - MINUTE)
		since = now - MINUTE;
	created = since - (int64_t)(np - 1) * rng_range(r, 2, 12) * DAY;
	if (created < p->met + MINUTE)
		created = p->met + MINUTE;
	if (created > since)
		created = since;

	memset(&d, 0, sizeof d);
	d.contact_id = p->id;
	d.title = gen_set(title, sizeof title, PICK(r, sample_deal_titles));
	d.has_value = rng_pct(r, 90);
	if (d.has_value)
		d.value_cents = (PICK(r, sample_values) *
		    rng_range(r, 80, 120) / 100) / 50 * 50 * 100;
	d.stage = gen_set(stage, sizeof stage, g->stages.name[path[0]]);
	d.closed = 0;
	if ((rc = deal_check(&d, e)) != 0 ||
	    (rc = store_deal_add(g->s, &d, created, e)) != 0)
		return rc;
	g->st->deals++;
	for (k = 1; k < (int)np; k++) {
		at = created + (since - created) * k / (int64_t)(np - 1);
		if ((rc = store_deal_move(g->s, d.id, g->stages.name[path[k]],
		    deal_stage_closes(&g->stages, path[k]), at, e)) != 0)
			return rc;
	}
	if (closed)
		return 0;
	g->st->deals_open++;
	p->deal_id = d.id;
	if (!rng_pct(r, 82))
		return 0;		/* no next step: a finding */
	k = (int)rng_below(r, 100);
	if (k < 25)
		due = gen_at(g, -(int)rng_range(r, 1, 21), 9, 18);
	else if (k < 33)
		due = gen_at(g, 0, 9, 18);
	else if (k < 85)
		due = gen_day(g, (int)rng_range(r, 1, 21));
	else
		due = 0;
	d.next_step = gen_set(step, sizeof step, PICK(r, sample_steps));
	d.next_due = due;
	if ((rc = deal_check(&d, e)) != 0)
		return rc;
	return store_deal_next(g->s, d.id, step, due, since, e);
}

/* The one pending follow-up some contacts have: late, today or ahead. */
static int
gen_open_followup(struct gen *g, struct person *p, struct err *e)
{
	struct rng	*r = &g->r;
	const int64_t	 now = g->o->now;
	int64_t		 due, created, today;
	char		 reason[256];
	const char	*state;
	int		 k;

	today = gen_day(g, 0);
	k = (int)rng_below(r, 100);
	if (k < 30) {
		/* overdue: mostly by a few days, sometimes by weeks */
		due = gen_day(g, -1 - (int)(rng_unit(r) * rng_unit(r) * 30));
		if (rng_pct(r, 50))
			due += rng_range(r, 9, 17) * HOUR;
	} else if (k < 42)
		due = rng_pct(r, 40) ? today : gen_at(g, 0, 8, 18);
	else {
		due = gen_day(g, (int)rng_range(r, 1, 28));
		if (rng_pct(r, 50))
			due += rng_range(r, 9, 17) * HOUR;
	}
	created = due - rng_range(r, 1, 10) * DAY;
	if (created > now - HOUR)
		created = now - HOUR;
	if (created < p->met)
		created = p->met;
	gen_fill(reason, sizeof reason, p->kind == K_FRIEND ?
	    PICK(r, sample_friend_reasons) : PICK(r, sample_reasons), p);
	state = rng_pct(r, 10) && due > now ? "snoozed" : "open";
	g->st->followups_open++;
	if (due < today)
		g->st->followups_overdue++;
	else if (due < gen_day(g, 1))
		g->st->followups_today++;
	p->has_open = 1;
	return gen_followup(g, p, "task", reason,
	    gen_channel(PICK(r, sample_ikinds)), p->deal_id != 0 &&
	    rng_pct(r, 50) ? p->deal_id : 0, created, due, state, created, e);
}

static int
gen_cadence(struct gen *g, struct person *p, int64_t met_on,
    struct err *e)
{
	int64_t	base, next;
	char	spec[CADENCE_BUFSZ];

	/* as app_cadence_set: from the last touch, else the day you met */
	base = p->last_touch;
	if (base == 0)
		base = met_on != 0 && met_on <= g->o->now ? met_on : g->o->now;
	next = cadence_next(&g->cad[p->cad], base, g->o->tz);
	cadence_format(&g->cad[p->cad], spec, sizeof spec);
	g->st->cadences++;
	return store_cadence_set(g->s, p->id, spec, next, e);
}

static int
gen_one(struct gen *g, size_t i, struct err *e)
{
	struct person	 p;
	struct rng	*r = &g->r;
	size_t		 touches;
	int		 rc;

	memset(&p, 0, sizeof p);
	p.i = i;
	gen_identity(g, &p);
	if ((rc = gen_contact(g, &p, e)) != 0 ||
	    (rc = gen_history(g, &p, e)) != 0)
		return rc;
	touches = p.touches;
	if (rng_pct(r, sample_deal_pct[p.kind]) &&
	    (rc = gen_deal(g, &p, e)) != 0)
		return rc;
	if (!p.has_open && rng_pct(r, sample_open_pct[p.kind]) &&
	    (rc = gen_open_followup(g, &p, e)) != 0)
		return rc;
	if (p.cad >= 0 && (rc = gen_cadence(g, &p, p.src == S_IMPORT ? 0 :
	    p.met, e)) != 0)
		return rc;
	/* the showcase: most interactions, a deal preferred */
	if (g->st->showcase_id == 0 || (p.deal_id != 0 && !g->best_deal) ||
	    ((p.deal_id != 0) == g->best_deal && touches > g->best_touches)) {
		g->st->showcase_id = p.id;
		g->best_touches = touches;
		g->best_deal = p.deal_id != 0;
	}
	return 0;
}

static int
gen_init(struct gen *g, struct err *e)
{
	struct arena	*a;
	char		*setting = NULL;
	int64_t		 today;
	size_t		 i;
	int		 rc;

	today = when_day_start(g->o->now, g->o->tz);
	for (i = 0; i < NELEM(g->day); i++)
		g->day[i] = when_add_days(today, (int)i - DAYS_PAST, g->o->tz);
	for (i = 0; i < NELEM(sample_cadences); i++) {
		rc = cadence_parse(sample_cadences[i], &g->cad[i], e);
		if (rc != 0)
			return rc;
		g->cad_days[i] = cadence_days(&g->cad[i]);
	}
	for (i = 0; i < NELEM(sample_first); i++)
		gen_ascii(sample_first[i], g->first_key[i],
		    sizeof g->first_key[i]);
	for (i = 0; i < NELEM(sample_last); i++)
		gen_ascii(sample_last[i], g->last_key[i],
		    sizeof g->last_key[i]);
	/* deals follow the pipeline of this database */
	a = arena_new();
	rc = store_setting_get(g->s, a, "deal.stages", &setting, e);
	if (rc == 0)
		rc = deal_stages_parse(setting, &g->stages, e);
	arena_free(a);
	if (rc != 0)
		return rc;
	g->recent = g->o->contacts / 100 + 3;
	if (g->recent > g->o->contacts)
		g->recent = g->o->contacts;
	return 0;
}

int
sample_generate(struct store *s, const struct sample_opts *o,
    struct sample_stats *stats, struct err *e)
{
	struct sample_stats	 dummy;
	struct gen		*g;
	size_t			 i, every;
	int			 rc, in_tx = 0;

	if (stats == NULL)
		stats = &dummy;
	memset(stats, 0, sizeof *stats);
	if (o->contacts < 1 || o->contacts > SAMPLE_MAX)
		return err_set(e, TEND_EINVAL, "sample size '%zu' is not from "
		    "1 to %d", o->contacts, SAMPLE_MAX);
	if (o->tz != NULL && !when_zone_valid(o->tz))
		return err_set(e, TEND_EINVAL, "unknown time zone '%s'", o->tz);
	g = xcalloc(1, sizeof *g);
	g->s = s;
	g->o = o;
	g->st = stats;
	g->r.s = o->seed;
	g->ids = xcalloc(o->contacts, sizeof *g->ids);
	every = o->batch > 0 ? o->batch : SAMPLE_BATCH;
	if (o->batch > 0) {
		if ((rc = store_begin(s, e)) != 0)
			goto out;
		in_tx = 1;
	}
	if ((rc = gen_init(g, e)) != 0)
		goto out;
	for (i = 0; i < o->contacts; i++) {
		if ((rc = gen_one(g, i, e)) != 0)
			goto out;
		if ((i + 1) % every != 0 && i + 1 != o->contacts)
			continue;
		if (o->batch > 0) {
			in_tx = 0;
			if ((rc = store_commit(s, e)) != 0)
				goto out;
			if (i + 1 != o->contacts) {
				if ((rc = store_begin(s, e)) != 0)
					goto out;
				in_tx = 1;
			}
		}
		if (o->progress != NULL)
			o->progress(i + 1, o->contacts, o->progress_arg);
	}
	rc = 0;
out:
	if (rc != 0 && in_tx)
		store_rollback(s);
	free(g->ids);
	free(g);
	return rc;
}
