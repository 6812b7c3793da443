/**
 * A deterministic generator of support-conversation text: varied sentences with customer and agent names,
 * order and ticket numbers, amounts, dates, product words, typos of daily texting and some emoji.
 */
export type Rng = () => number;

/** A small fast seeded PRNG (mulberry32): the same seed gives the same history. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Maria', 'James', 'Aisha', 'Chen', 'Olivia', 'Mateo', 'Priya', 'Liam', 'Fatima', 'Noah', 'Sofia', 'Kenji', 'Amara', 'Lucas', 'Zoë', 'Ethan', 'Chloé', 'Diego', 'Hannah', 'Omar', 'Ingrid', 'Tomás', 'Grace', 'Raj', 'Elena', 'Kwame', 'Mia', 'José', 'Leah', 'Sven'];
const LAST = ['Garcia', 'Smith', 'Khan', 'Nguyen', 'Müller', 'Okafor', 'Rossi', 'Johnson', 'Patel', 'Kowalski', 'Brown', 'Silva', 'Tanaka', 'Dubois', 'Williams', 'Haddad', 'Jensen', 'López'];
const AGENTS = ['Sam', 'Alex', 'Jordan', 'Taylor', 'Casey', 'Riley', 'Morgan', 'Jamie'];
const PRODUCTS = ['blender', 'standing desk', 'running shoes', 'coffee grinder', 'winter jacket', 'phone case', 'air purifier', 'office chair', 'yoga mat', 'espresso machine', 'backpack', 'smart thermostat', 'bike helmet', 'rice cooker', 'headphones', 'duvet cover', 'café table', 'water filter'];
const CARRIERS = ['UPS', 'FedEx', 'USPS', 'DHL'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'tomorrow', 'today', 'next week'];
const TIMES = ['9am', '10:30', 'noon', '2pm', '3:15pm', '5pm', 'after 6', 'this morning', 'this afternoon'];
const CITIES = ['Raleigh', 'Austin', 'Denver', 'Portland', 'Chicago', 'Atlanta', 'Boston', 'Seattle', 'San José', 'Montréal'];
const EMOJI = ['🙂', '👍', '🙏', '😊', '📦', '🚚', '😅', '🎉', '❤️', '😬', '✅', '👋'];

type Line = (p: Parts) => string;
type Parts = { name: string; agent: string; order: string; ticket: string; product: string; amount: string; day: string; time: string; carrier: string; city: string; tracking: string };

const CUSTOMER: Line[] = [
  (p: Parts) => `Hi, this is ${p.name}. Where is my order ${p.order}? It said it would arrive ${p.day}`,
  (p: Parts) => `My ${p.product} arrived damaged, the box was crushed. Can I get a replacement?`,
  (p: Parts) => `Hey! Any update on ticket ${p.ticket}?`,
  (p: Parts) => `I was charged ${p.amount} twice for order ${p.order}`,
  (p: Parts) => `Can I change the delivery address to my office in ${p.city}?`,
  (p: Parts) => `thanks so much ${p.agent}`,
  () => `ok`,
  (p: Parts) => `Is the ${p.product} back in stock?`,
  (p: Parts) => `Tracking says delivered but nothing is here. ${p.carrier} number ${p.tracking}`,
  (p: Parts) => `I'd like to return the ${p.product}, it's too small`,
  (p: Parts) => `Can someone call me ${p.day} at ${p.time}?`,
  () => `Got it, thank you!`,
  (p: Parts) => `The refund for ${p.order} still hasn't shown up on my card`,
  (p: Parts) => `Do you deliver to ${p.city}?`,
  () => `wrong color came, I ordered black not blue`,
  (p: Parts) => `Perfect, see you ${p.day}`,
  () => `Here is a photo of the receipt`,
  () => `What's your return policy for opened items?`,
  (p: Parts) => `Still waiting on my appointment confirmation for ${p.day}`,
  () => `yes please cancel it`,
];

const AGENT: Line[] = [
  (p: Parts) => `Hi ${p.name.split(' ')[0]}, this is ${p.agent} from support. I'm looking into order ${p.order} now.`,
  (p: Parts) => `Your ${p.product} shipped with ${p.carrier}, tracking ${p.tracking}. It should arrive ${p.day}.`,
  (p: Parts) => `Sorry about that! I've issued a refund of ${p.amount}; it can take 3-5 business days to appear.`,
  (p: Parts) => `I've opened ticket ${p.ticket} for you and escalated it to our warehouse team.`,
  (p: Parts) => `A replacement ${p.product} is on its way, no need to send the damaged one back.`,
  (p: Parts) => `Your appointment is confirmed for ${p.day} at ${p.time}.`,
  () => `Could you send a photo of the label so I can check the address?`,
  (p: Parts) => `I've updated the delivery address to ${p.city}. Anything else I can help with?`,
  () => `You're welcome! Have a great day.`,
  (p: Parts) => `The ${p.product} is back in stock ${p.day}. Want me to reserve one for you?`,
  (p: Parts) => `I can see the duplicate charge of ${p.amount}; the second one was reversed.`,
  (p: Parts) => `Returns are free within 30 days. I'll email you a prepaid ${p.carrier} label.`,
  () => `Reply STOP to opt out of texts at any time.`,
  (p: Parts) => `Thanks for your patience, ${p.name.split(' ')[0]}.`,
];

/** A customer's full name for a thread; the same thread always gets the same name. */
export function customerName(thread: number): string {
  return `${FIRST[thread % FIRST.length]} ${LAST[Math.floor(thread / FIRST.length) % LAST.length]}`;
}

/** One message of a thread: a customer's or an agent's line, sometimes two sentences, sometimes with an emoji. */
export function messageText(rng: Rng, thread: number, inbound: boolean): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const parts: Parts = {
    name: customerName(thread),
    agent: pick(AGENTS),
    order: `#${100_000 + ((thread * 7919 + Math.floor(rng() * 50)) % 900_000)}`,
    ticket: `T-${10_000 + Math.floor(rng() * 90_000)}`,
    product: pick(PRODUCTS),
    amount: `$${(5 + rng() * 495).toFixed(2)}`,
    day: pick(DAYS),
    time: pick(TIMES),
    carrier: pick(CARRIERS),
    city: pick(CITIES),
    tracking: `1Z${Math.floor(rng() * 1e9).toString(36).toUpperCase()}`,
  };
  const lines = inbound ? CUSTOMER : AGENT;
  let text = pick(lines)(parts);
  if (rng() < 0.25) text += ` ${pick(lines)(parts)}`;
  if (rng() < 0.15) text += ` ${pick(EMOJI)}`;
  return text;
}
